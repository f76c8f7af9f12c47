// GET /api/accounts/{accountId}/availableNumbers: search the sandbox's inventory (the same seeded numbers and
// rate centers as the Catapult side) by areaCode, npaNxx, zip, city + state, rateCenter + state, state or lata.
// Numbers are 10 digits; enableTNDetail=true adds City, LATA, RateCenter and State per number
// (docs/contracts/bandwidth-v2.md §4).
import type { InventoryNumber } from '../../model/inventory';
import { RATE_CENTERS } from '../../model/rate-centers';
import { searchError } from '../http/bw-errors';
import type { BwRouter } from '../http/bw-router';
import { xmlDocument, type XmlNode } from '../http/xml';
import { toTn, type NumbersStore } from './numbers-store';

export const MAX_SEARCH_QUANTITY = 5000;

interface Search {
  areaCode?: string;
  npaNxx?: string;
  zip?: string;
  city?: string;
  state?: string;
  rateCenter?: string;
  lata?: string;
  quantity: number;
  detail: boolean;
}

export function mountAvailableNumbers(router: BwRouter, store: NumbersStore): void {
  router.add('GET', '/api/accounts/:accountId/availableNumbers', 'numbers', (request) => {
    const search = parseSearch(request.query);
    const hits = store.inventory
      .list()
      .filter((item) => !item.tollFree && matches(item, search))
      .slice(0, search.quantity);
    return { status: 200, body: searchResult(hits, search.detail) };
  });
}

function parseSearch(query: URLSearchParams): Search {
  const value = (name: string) => {
    const raw = query.get(name);
    return raw === null || raw.trim() === '' ? undefined : raw.trim();
  };
  const search: Search = { quantity: MAX_SEARCH_QUANTITY, detail: value('enableTNDetail') === 'true' };
  const areaCode = value('areaCode');
  const npaNxx = value('npaNxx');
  const zip = value('zip');
  const city = value('city');
  const state = value('state');
  const rateCenter = value('rateCenter');
  const lata = value('lata');
  const quantity = value('quantity');
  if ([areaCode, npaNxx, zip, city, state, rateCenter, lata].every((v) => v === undefined)) {
    throw searchError(
      4000,
      'One of areaCode, npaNxx, zip, city with state, rateCenter with state, state or lata is required',
    );
  }
  if (areaCode !== undefined && !/^[2-9]\d{2}$/.test(areaCode))
    throw searchError(4010, `The area code ${areaCode} is not valid`);
  if (npaNxx !== undefined && !/^[2-9]\d{2}[2-9]\d{2}$/.test(npaNxx))
    throw searchError(4010, `The npaNxx ${npaNxx} is not valid`);
  if (zip !== undefined && !/^\d{5}$/.test(zip)) throw searchError(4010, `The zip code ${zip} is not valid`);
  if (state !== undefined && !/^[A-Za-z]{2}$/.test(state))
    throw searchError(4010, `The state abbreviation ${state} is not valid.`);
  if (city !== undefined && state === undefined) throw searchError(4010, 'A city search requires a state');
  if (rateCenter !== undefined && state === undefined) throw searchError(4010, 'A rateCenter search requires a state');
  if (lata !== undefined && !/^\d{3,5}$/.test(lata)) throw searchError(4010, `The lata ${lata} is not valid`);
  if (quantity !== undefined) {
    if (!/^\d{1,9}$/.test(quantity) || Number(quantity) < 1 || Number(quantity) > MAX_SEARCH_QUANTITY) {
      throw searchError(4010, `The quantity must be a whole number from 1 to ${MAX_SEARCH_QUANTITY}`);
    }
    search.quantity = Number(quantity);
  }
  if (value('enableTNDetail') !== undefined && !['true', 'false'].includes(value('enableTNDetail')!)) {
    throw searchError(4010, 'enableTNDetail must be true or false');
  }
  return {
    ...search,
    ...(areaCode === undefined ? {} : { areaCode }),
    ...(npaNxx === undefined ? {} : { npaNxx }),
    ...(zip === undefined ? {} : { zip }),
    ...(city === undefined ? {} : { city: city.toUpperCase() }),
    ...(state === undefined ? {} : { state: state.toUpperCase() }),
    ...(rateCenter === undefined ? {} : { rateCenter: rateCenter.toUpperCase() }),
    ...(lata === undefined ? {} : { lata }),
  };
}

function matches(item: InventoryNumber, search: Search): boolean {
  const tn = toTn(item.number);
  if (search.areaCode !== undefined && item.areaCode !== search.areaCode) return false;
  if (search.npaNxx !== undefined && !tn.startsWith(search.npaNxx)) return false;
  if (search.state !== undefined && item.state !== search.state) return false;
  if (search.city !== undefined && item.city !== search.city) return false;
  if (search.rateCenter !== undefined && item.rateCenter !== search.rateCenter) return false;
  if (search.lata !== undefined && item.lata !== search.lata) return false;
  if (search.zip !== undefined) {
    // A ZIP search finds the numbers of the rate centers serving that ZIP (as on the Catapult side).
    const center = RATE_CENTERS.find((c) => c.areaCode === item.areaCode && c.rateCenter === item.rateCenter);
    if (!center?.zips.includes(search.zip)) return false;
  }
  return true;
}

/** The wire shapes of @bandwidth/numbers' `availableNumbers` fixture (with detail) and its plain counterpart. */
export function searchResult(hits: readonly InventoryNumber[], detail: boolean): string {
  const list: XmlNode | undefined =
    hits.length === 0
      ? undefined
      : detail
        ? [
            'TelephoneNumberDetailList',
            hits.map((item): XmlNode => [
              'TelephoneNumberDetail',
              [
                ['City', item.city],
                ['LATA', item.lata],
                ['RateCenter', item.rateCenter],
                ['State', item.state],
                ['TelephoneNumber', toTn(item.number)],
              ],
            ]),
          ]
        : ['TelephoneNumberList', hits.map((item): XmlNode => ['TelephoneNumber', toTn(item.number)])];
  return xmlDocument(['SearchResult', [['ResultCount', hits.length], list]]);
}
