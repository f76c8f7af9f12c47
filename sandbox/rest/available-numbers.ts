// /v1/availableNumbers/{local|tollFree}: search (GET) and search-and-order (POST, query string only).
// Not user-scoped: ordered numbers go to the account of the credentials (docs/contracts/catapult-v1.md §5).
import type { Router, SandboxAccount, SandboxRequest } from '../context';
import { catapultError } from '../errors';
import { newId } from '../model/ids';
import type { InventoryNumber } from '../model/inventory';
import {
  matchLocal,
  matchTollFree,
  parseLocalSearch,
  parseTollFreeSearch,
  type SearchHit,
} from '../model/number-search';
import type { StoredNumber } from '../model/sandbox-store';
import type { ResourceDeps } from './resource-deps';
import { numberPath } from './resource-urls';

export function mountAvailableNumbers(router: Router, deps: ResourceDeps): void {
  const { store } = deps;
  const family = { family: 'availableNumbers' };

  router.add(
    'GET',
    '/v1/availableNumbers/local',
    (request) => {
      const search = parseLocalSearch(request.query, 'search');
      return { status: 200, body: matchLocal(store.inventory.list(), search).slice(0, search.quantity).map(localItem) };
    },
    family,
  );

  router.add(
    'GET',
    '/v1/availableNumbers/tollFree',
    (request) => {
      const search = parseTollFreeSearch(request.query, 'search');
      return {
        status: 200,
        body: matchTollFree(store.inventory.list(), search).slice(0, search.quantity).map(tollFreeItem),
      };
    },
    family,
  );

  router.add(
    'POST',
    '/v1/availableNumbers/local',
    (request) => {
      const search = parseLocalSearch(request.query, 'order');
      return order(request, matchLocal(store.inventory.list(), search), search.quantity);
    },
    family,
  );

  router.add(
    'POST',
    '/v1/availableNumbers/tollFree',
    (request) => {
      const search = parseTollFreeSearch(request.query, 'order');
      return order(request, matchTollFree(store.inventory.list(), search), search.quantity);
    },
    family,
  );

  /** All or nothing: a partial fulfilment is refused with 404 and takes no number. */
  function order(request: SandboxRequest, hits: SearchHit[], quantity: number) {
    if (hits.length < quantity) {
      throw catapultError(
        404,
        'not-found',
        'order-number-quantity-unavailable',
        `Only ${hits.length} numbers matching the query are available; ${quantity} were requested`,
      );
    }
    const account = request.account as SandboxAccount;
    const body = hits.slice(0, quantity).map(({ item }) => {
      const stored = allocateFromInventory(deps, account.userId, item);
      return {
        number: stored.number,
        nationalNumber: stored.nationalNumber,
        price: stored.price,
        ...(item.city ? { city: item.city } : {}),
        ...(item.state ? { state: item.state } : {}),
        location: `${deps.baseUrl}${numberPath(account.userId, stored.numberId)}`,
      };
    });
    return { status: 201, body };
  }
}

/** Moves a number out of the inventory into the account's phone numbers. */
export function allocateFromInventory(
  deps: ResourceDeps,
  userId: string,
  item: InventoryNumber,
  extra: Pick<StoredNumber, 'name' | 'applicationId' | 'fallbackNumber'> = {},
): StoredNumber {
  deps.store.inventory.take(item.number);
  const stored: StoredNumber = {
    userId,
    numberId: newId('n'),
    number: item.number,
    nationalNumber: item.nationalNumber,
    price: item.price,
    createdTime: new Date(deps.now()).toISOString(),
    ...(item.city ? { city: item.city } : {}),
    ...(item.state ? { state: item.state } : {}),
    ...(item.rateCenter ? { rateCenter: item.rateCenter } : {}),
    ...(item.lata ? { lata: item.lata } : {}),
    ...withoutUndefined(extra),
  };
  deps.store.numbers.set(stored.numberId, stored);
  return stored;
}

function localItem({ item, patternMatch }: SearchHit) {
  return {
    number: item.number,
    nationalNumber: item.nationalNumber,
    ...(patternMatch === undefined ? {} : { patternMatch }),
    city: item.city,
    lata: item.lata,
    rateCenter: item.rateCenter,
    state: item.state,
    price: item.price,
  };
}

function tollFreeItem({ item, patternMatch }: SearchHit) {
  return {
    number: item.number,
    nationalNumber: item.nationalNumber,
    ...(patternMatch === undefined ? {} : { patternMatch }),
    price: item.price,
  };
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
