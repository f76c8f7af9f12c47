// Number search: exactly one kind of criteria (area code | ZIP | city + state), validated here so a bad
// query gets a clear `invalid-search` instead of the provider's 400.
import type { AvailableNumberView, NumberSearchQuery } from '../api-types';
import { AppError } from '../errors';
import type { NumberSearchCriteria, ProviderNumbers } from '../provider/voice-provider';

export const DEFAULT_QUANTITY = 10;
export const MAX_QUANTITY = 50;

export function validateSearch(query: NumberSearchQuery): NumberSearchCriteria {
  // Anything but a string (a JSON body may send numbers or objects) is checked in its JSON form: it fails clearly.
  const value = (v: unknown) => (typeof v === 'string' ? v.trim() : v == null ? undefined : JSON.stringify(v));
  const areaCode = value(query.areaCode) || undefined;
  const zip = value(query.zip) || undefined;
  const city = value(query.city) || undefined;
  const state = value(query.state) || undefined;
  const kinds = [areaCode !== undefined, zip !== undefined, city !== undefined || state !== undefined].filter(
    Boolean,
  ).length;
  if (kinds === 0) throw invalid('Search by area code, by ZIP code, or by city and state.');
  if (kinds > 1) throw invalid('Use only one of: area code, ZIP code, or city and state.');
  const quantity = parseQuantity(query.quantity);
  if (areaCode !== undefined) {
    if (!/^[2-9]\d{2}$/.test(areaCode))
      throw invalid('An area code is 3 digits starting with 2 to 9, e.g. 919.', 'areaCode');
    return { areaCode, quantity };
  }
  if (zip !== undefined) {
    if (!/^\d{5}$/.test(zip)) throw invalid('A ZIP code is 5 digits, e.g. 27513.', 'zip');
    return { zip, quantity };
  }
  if (!city) throw invalid('A city is required with the state.', 'city');
  if (!state) throw invalid('A state is required with the city, e.g. NC.', 'state');
  if (!/^[A-Za-z]{2}$/.test(state)) throw invalid('A state is 2 letters, e.g. NC.', 'state');
  if (!/^[A-Za-z][A-Za-z .'-]{0,49}$/.test(city))
    throw invalid('A city name has letters, spaces, ".", "\'" or "-" only.', 'city');
  return { city, state: state.toUpperCase(), quantity };
}

export async function searchNumbers(
  numbers: ProviderNumbers,
  query: NumberSearchQuery,
): Promise<AvailableNumberView[]> {
  return numbers.search(validateSearch(query));
}

function parseQuantity(raw: unknown): number {
  if (raw === undefined || raw === null || raw === '') return DEFAULT_QUANTITY;
  const quantity = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw.trim()) : Number.NaN;
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY) {
    throw invalid(`The quantity is a whole number from 1 to ${MAX_QUANTITY}.`, 'quantity');
  }
  return quantity;
}

function invalid(message: string, field?: string): AppError {
  return new AppError('invalid-search', message, field);
}
