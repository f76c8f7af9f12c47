// Client-side check of the number search form: catches the obvious mistakes before asking the
// server, which validates fully (and answers `invalid-search`).
import type { NumberSearchQuery } from '../../core/api-types';

export type SearchMode = 'areaCode' | 'zip' | 'city';

export interface SearchFormValues {
  areaCode: string;
  zip: string;
  city: string;
  state: string;
}

export function searchQueryFor(
  mode: SearchMode,
  values: SearchFormValues,
): { ok: true; query: NumberSearchQuery } | { ok: false; message: string } {
  if (mode === 'areaCode') {
    const areaCode = values.areaCode.trim();
    return /^[2-9]\d{2}$/.test(areaCode)
      ? { ok: true, query: { areaCode } }
      : { ok: false, message: 'Enter a 3-digit area code, like 919.' };
  }
  if (mode === 'zip') {
    const zip = values.zip.trim();
    return /^\d{5}$/.test(zip)
      ? { ok: true, query: { zip } }
      : { ok: false, message: 'Enter a 5-digit ZIP code, like 27513.' };
  }
  const city = values.city.trim();
  const state = values.state.trim().toUpperCase();
  if (!city) return { ok: false, message: 'Enter a city, like Cary.' };
  if (!/^[A-Z]{2}$/.test(state)) return { ok: false, message: 'Enter the 2-letter state, like NC.' };
  return { ok: true, query: { city, state } };
}
