// Query rules of available-number search and search-and-order (docs/contracts/catapult-v1.md §5), and the matching
// itself. Every rule violation is a 400 with Catapult's code and message.
import { catapultError, type SandboxHttpError } from '../errors';
import type { InventoryNumber } from './inventory';
import { compileNumberPattern, type NumberPattern } from './number-pattern';
import { RATE_CENTERS } from './rate-centers';

export type SearchMode = 'search' | 'order';

export interface LocalSearch {
  areaCode?: string;
  zip?: string;
  city?: string;
  state?: string;
  localNumber?: string;
  inLocalCallingArea?: boolean;
  pattern?: NumberPattern;
  quantity: number;
}

export interface TollFreeSearch {
  pattern?: NumberPattern;
  quantity: number;
}

export const LIMITS = {
  local: { search: { fallback: 10, max: 5000 }, order: { fallback: 10, max: 10 } },
  tollFree: { search: { fallback: 10, max: 5000 }, order: { fallback: 1, max: 10 } },
} as const;

export function parseLocalSearch(query: URLSearchParams, mode: SearchMode): LocalSearch {
  const value = (name: string) => {
    const raw = query.get(name);
    return raw === null || raw.trim() === '' ? undefined : raw.trim();
  };
  const areaCode = value('areaCode');
  const zip = value('zip');
  const city = value('city');
  const state = value('state');
  const localNumber = value('localNumber');
  const inLocalCallingArea = value('inLocalCallingArea');

  if (city !== undefined && state === undefined) throw searchError('For searching by City the State is also required.');
  const anchors = [state, zip, areaCode].filter((v) => v !== undefined).length;
  if (anchors === 0) throw searchError('Specify a State ZIP Code or Area Code with your query.');
  if (anchors > 1) throw searchError('A query cannot combine State, ZIP Code and Area Code; specify only one of them.');
  if (state !== undefined && !/^[A-Za-z]{2}$/.test(state)) throw searchError('A State must be a 2 letter code.');
  if (areaCode !== undefined && !/^\d{3}$/.test(areaCode)) throw searchError('An Area Code must be 3 digits.');
  if (zip !== undefined && !/^\d{5}$/.test(zip)) {
    throw catapultError(
      400,
      'bad-request',
      'invalid-zip-code',
      `The ZIP Code '${zip}' is not valid; it must be 5 digits.`,
    );
  }
  if (localNumber !== undefined) {
    if (areaCode === undefined) throw searchError('A Local Number search requires an Area Code.');
    if (!/^\d{3,4}$/.test(localNumber)) throw searchError('A Local Number must be 3 or 4 digits.');
  }
  let inArea: boolean | undefined;
  if (inLocalCallingArea !== undefined) {
    if (inLocalCallingArea !== 'true' && inLocalCallingArea !== 'false')
      throw searchError('inLocalCallingArea must be true or false.');
    if (localNumber === undefined) throw searchError('inLocalCallingArea can only be used with a Local Number.');
    inArea = inLocalCallingArea === 'true';
  }
  return {
    ...(areaCode === undefined ? {} : { areaCode }),
    ...(zip === undefined ? {} : { zip }),
    ...(city === undefined ? {} : { city: city.toUpperCase() }),
    ...(state === undefined ? {} : { state: state.toUpperCase() }),
    ...(localNumber === undefined ? {} : { localNumber }),
    ...(inArea === undefined ? {} : { inLocalCallingArea: inArea }),
    ...parsePatternAndQuantity(query, mode, LIMITS.local[mode]),
  };
}

export function parseTollFreeSearch(query: URLSearchParams, mode: SearchMode): TollFreeSearch {
  return parsePatternAndQuantity(query, mode, LIMITS.tollFree[mode]);
}

function parsePatternAndQuantity(
  query: URLSearchParams,
  mode: SearchMode,
  limits: { fallback: number; max: number },
): { pattern?: NumberPattern; quantity: number } {
  const rawPattern = query.get('pattern');
  let pattern: NumberPattern | undefined;
  if (rawPattern !== null && rawPattern !== '') {
    if (mode === 'order') {
      throw catapultError(
        400,
        'bad-request',
        'invalid-available-number-search-order',
        'A query and order numbers cannot contain pattern',
      );
    }
    try {
      pattern = compileNumberPattern(rawPattern);
    } catch (error) {
      throw searchError(error instanceof Error ? `${error.message}.` : 'Invalid pattern.');
    }
  }
  const rawQuantity = query.get('quantity');
  let quantity: number = limits.fallback;
  if (rawQuantity !== null && rawQuantity !== '') {
    if (!/^\d{1,9}$/.test(rawQuantity) || Number(rawQuantity) < 1)
      throw searchError('The quantity must be a positive whole number.');
    quantity = Number(rawQuantity);
    if (quantity > limits.max) throw searchError(`The maximum quantity of numbers is ${limits.max}`);
  }
  return { ...(pattern ? { pattern } : {}), quantity };
}

export interface SearchHit {
  item: InventoryNumber;
  patternMatch?: string;
}

/** All local numbers fitting `search`, in inventory (number) order; the caller applies quantity. */
export function matchLocal(available: readonly InventoryNumber[], search: LocalSearch): SearchHit[] {
  const localLatas = search.inLocalCallingArea
    ? latasOfExchange(search.areaCode!, search.localNumber!.slice(0, 3))
    : undefined;
  const hits: SearchHit[] = [];
  for (const item of available) {
    if (item.tollFree) continue;
    if (search.state !== undefined && item.state !== search.state) continue;
    if (search.city !== undefined && item.city !== search.city) continue;
    if (search.zip !== undefined && !rateCenterZips(item).includes(search.zip)) continue;
    if (localLatas) {
      if (!localLatas.has(`${item.state}/${item.lata}`)) continue;
    } else {
      if (search.areaCode !== undefined && item.areaCode !== search.areaCode) continue;
      if (search.localNumber !== undefined && !item.number.startsWith(`+1${search.areaCode}${search.localNumber}`))
        continue;
    }
    const hit = withPattern(item, search.pattern);
    if (hit) hits.push(hit);
  }
  return hits;
}

export function matchTollFree(available: readonly InventoryNumber[], search: TollFreeSearch): SearchHit[] {
  const hits: SearchHit[] = [];
  for (const item of available) {
    if (!item.tollFree) continue;
    const hit = withPattern(item, search.pattern);
    if (hit) hits.push(hit);
  }
  return hits;
}

function withPattern(item: InventoryNumber, pattern: NumberPattern | undefined): SearchHit | undefined {
  if (!pattern) return { item };
  const patternMatch = pattern.match(item.number.slice(2));
  return patternMatch === undefined ? undefined : { item, patternMatch };
}

/** A ZIP search finds the numbers of the rate centers serving that ZIP. */
function rateCenterZips(item: InventoryNumber): readonly string[] {
  const center = RATE_CENTERS.find((c) => c.areaCode === item.areaCode && c.rateCenter === item.rateCenter);
  return center?.zips ?? [];
}

/**
 * [undocumented] "Local calling area" of NPA-NXX: every rate center in the same state and LATA as the
 * rate center(s) owning that exchange, across area codes (e.g. 919-232 also finds 984 RALEIGH/APEX).
 */
function latasOfExchange(areaCode: string, exchange: string): Set<string> {
  const owners = RATE_CENTERS.filter((c) => c.areaCode === areaCode && c.exchanges.includes(exchange));
  return new Set(owners.map((c) => `${c.state}/${c.lata}`));
}

function searchError(message: string): SandboxHttpError {
  return catapultError(400, 'bad-request', 'invalid-available-number-search', message);
}
