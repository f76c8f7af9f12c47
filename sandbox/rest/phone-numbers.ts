// /v1/users/{userId}/phoneNumbers (docs/contracts/catapult-v1.md §6): allocate, list, get/update/delete by id or %2B
// E.164.
import type { Router, SandboxRequest } from '../context';
import { catapultError, conflict, notFound } from '../errors';
import type { StoredNumber } from '../model/sandbox-store';
import { allocateFromInventory } from './available-numbers';
import type { ResourceDeps } from './resource-deps';
import { paginate } from './paginate';
import { applicationPath, created, numberPath, ok } from './resource-urls';
import { bodyObject, isE164, optionalString, requiredString, validationError } from './validation';

const COLLECTION = '/v1/users/:userId/phoneNumbers';
const ITEM = `${COLLECTION}/:number`;

export function mountPhoneNumbers(router: Router, deps: ResourceDeps): void {
  const { store } = deps;

  router.add('POST', COLLECTION, (request) => {
    const userId = request.params.userId!;
    const body = bodyObject(request.body);
    if (body.provider !== undefined) {
      throw validationError(
        'Importing numbers from the Bandwidth Dashboard (provider) is not supported by the sandbox',
      );
    }
    const number = requiredString(body, 'number');
    if (!isE164(number)) throw validationError('Invalid phone number');
    const name = optionalString(body, 'name');
    const applicationId = optionalString(body, 'applicationId') || undefined;
    const fallbackNumber = readFallbackNumber(body) || undefined;
    if (applicationId !== undefined) requireApplication(userId, applicationId);
    if (store.findNumber(number)) throw conflict('duplicate-number', `The number ${number} is already allocated`);
    if (store.releasedNumbers.has(number))
      throw notFound('number-not-found', `The number ${number} was released and cannot be added back`);
    const item = store.inventory.get(number);
    if (!item) throw notFound('number-not-found', `The number ${number} is not available`);
    const stored = allocateFromInventory(deps, userId, item, { name, applicationId, fallbackNumber });
    return created(numberPath(userId, stored.numberId));
  });

  router.add('GET', COLLECTION, (request) => {
    const userId = request.params.userId!;
    const filters = readListFilters(request);
    const items = [...store.numbers.values()].filter((n) => n.userId === userId && filters(n));
    return paginate(
      items.map((n) => represent(n)),
      request,
    );
  });

  router.add('GET', ITEM, (request) => ({ status: 200, body: represent(findOwned(request)) }));

  router.add('POST', ITEM, (request) => {
    const stored = findOwned(request);
    const body = bodyObject(request.body);
    const applicationId = optionalString(body, 'applicationId');
    const name = optionalString(body, 'name');
    const fallbackNumber = readFallbackNumber(body);
    if (applicationId) requireApplication(stored.userId, applicationId);
    // Validate everything before changing anything, so a failed update leaves the number as it was.
    if (applicationId !== undefined) setOrClear(stored, 'applicationId', applicationId);
    if (name !== undefined) stored.name = name;
    if (fallbackNumber !== undefined) setOrClear(stored, 'fallbackNumber', fallbackNumber);
    return ok();
  });

  router.add('DELETE', ITEM, (request) => {
    const stored = findOwned(request);
    store.numbers.delete(stored.numberId);
    store.releasedNumbers.add(stored.number);
    return ok();
  });

  function represent(n: StoredNumber) {
    return {
      id: n.numberId,
      number: n.number,
      nationalNumber: n.nationalNumber,
      ...(n.name === undefined ? {} : { name: n.name }),
      ...(n.city === undefined ? {} : { city: n.city }),
      ...(n.state === undefined ? {} : { state: n.state }),
      ...(n.applicationId === undefined
        ? {}
        : {
            applicationId: n.applicationId,
            application: `${deps.baseUrl}${applicationPath(n.userId, n.applicationId)}`,
          }),
      ...(n.fallbackNumber === undefined ? {} : { fallbackNumber: n.fallbackNumber }),
      price: n.price,
      createdTime: n.createdTime,
      numberState: 'enabled',
    };
  }

  /** `:number` is an id (n-…) or an E.164 number (sent as %2B…). Another account's number is 401. */
  function findOwned(request: SandboxRequest): StoredNumber {
    const userId = request.params.userId!;
    const key = request.params.number!;
    const stored = key.startsWith('+')
      ? [...store.numbers.values()].find((n) => n.number === key)
      : store.numbers.get(key);
    if (!stored) throw notFound('number-not-found', `The number '${key}' could not be found`);
    if (stored.userId !== userId) {
      throw catapultError(401, 'authorization', 'number-access-denied', `The user may not access the number '${key}'`);
    }
    return stored;
  }

  function requireApplication(userId: string, applicationId: string): void {
    if (!store.getApplication(userId, applicationId)) {
      throw notFound('application-not-found', `The application '${applicationId}' could not be found`);
    }
  }
}

/** fallbackNumber: E.164, or "" to clear it on update. */
function readFallbackNumber(body: Record<string, unknown>): string | undefined {
  const value = optionalString(body, 'fallbackNumber');
  if (value !== undefined && value !== '' && !isE164(value))
    throw validationError('Invalid phone number (fallbackNumber)');
  return value;
}

function setOrClear(stored: StoredNumber, field: 'applicationId' | 'fallbackNumber', value: string): void {
  if (value === '') delete stored[field];
  else stored[field] = value;
}

function readListFilters(request: SandboxRequest): (n: StoredNumber) => boolean {
  const q = request.query;
  const numberState = q.get('numberState');
  if (numberState !== null && numberState !== 'enabled' && numberState !== 'released') {
    throw validationError("numberState must be 'enabled' or 'released'");
  }
  const state = q.get('state')?.toUpperCase();
  const city = q.get('city')?.toUpperCase();
  const name = q.get('name');
  const applicationId = q.get('applicationId');
  return (n) =>
    // Released numbers leave the account at once, so a 'released' filter finds none.
    numberState !== 'released' &&
    (applicationId === null || n.applicationId === applicationId) &&
    (state === undefined || n.state === state) &&
    (city === undefined || n.city === city) &&
    (name === null || n.name === name);
}
