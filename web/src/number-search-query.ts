// Client-side check of the number search form: catches the obvious mistakes before asking the
// server, which validates fully (and answers `invalid-search`).
import type { NumberSearchQuery } from '../../core/api-types';

/** The codes US numbers are searched by: the 50 states, DC and the territories with NANP numbers. */
const US_STATES = new Set(
  (
    'AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK ' +
    'OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR VI GU AS MP'
  ).split(' '),
);

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
    if (/^[2-9]\d{2}$/.test(areaCode)) return { ok: true, query: { areaCode } };
    return {
      ok: false,
      message: /^\d{3}$/.test(areaCode)
        ? `${areaCode} is not an area code: US area codes start with 2 to 9, like 919.`
        : 'Enter a 3-digit area code, like 919.',
    };
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
  if (!US_STATES.has(state))
    return { ok: false, message: `${state} is not a US state. Use its 2-letter code, like NC.` };
  return { ok: true, query: { city, state } };
}
