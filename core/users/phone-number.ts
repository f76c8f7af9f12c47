// Phone-number rules. Storage keys and Catapult calls only ever see strict E.164.
import { AppError } from '../errors';

const E164 = /^\+[1-9]\d{6,14}$/;

export function isE164(value: unknown): value is string {
  return typeof value === 'string' && E164.test(value);
}

/** A number the user picked from a search result: must already be E.164 (after trimming). */
export function requireE164(input: unknown, field = 'number'): string {
  const value = typeof input === 'string' ? input.trim() : input;
  if (!isE164(value))
    throw new AppError('invalid-number', 'The number must be in E.164 format, e.g. +19195551212.', field);
  return value;
}

/**
 * The regions libphonenumber-js has metadata for (its getCountries(), ISO 3166-1 alpha-2 plus AC, TA
 * and XK): the codes ALLOWED_DIAL_COUNTRIES may name. Listed here so that validating the config stays
 * synchronous and never loads the metadata; a unit test keeps the list equal to the library's.
 */
export const DIAL_COUNTRIES: ReadonlySet<string> = new Set(
  (
    'AC AD AE AF AG AI AL AM AO AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BW BY BZ ' +
    'CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM ' +
    'FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GT GU GW GY HK HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE ' +
    'JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN ' +
    'MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PR PS PT ' +
    'PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TA TC TD TG TH TJ TK ' +
    'TL TM TN TO TR TT TV TW TZ UA UG US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW'
  ).split(' '),
);

export function isDialCountry(code: string): boolean {
  return DIAL_COUNTRIES.has(code);
}

/** Why a dialled number is not called (recorded as the refused call's cause in the user's history). */
export type DialRefusal =
  'invalid-number' | 'premium-rate' | 'toll-free-not-allowed' | 'number-type-not-allowed' | 'blocked-country';

export type DialCheck = { ok: true; e164: string; country?: string } | { ok: false; reason: DialRefusal };

export interface DialRules {
  /** ISO 3166-1 alpha-2 codes (ALLOWED_DIAL_COUNTRIES). */
  allowedCountries: readonly string[];
  /** Toll-free numbers (+1 800, 888, 877, …) too (DIAL_TOLL_FREE). */
  allowTollFree: boolean;
}

/**
 * The number types a user may call: the ones people have (a fixed line, a mobile, and NANP's numbers that
 * may be either). Everything else is refused, including types nobody dials by hand but fraud schemes rent:
 * personal numbers (+1 500, 533, 544, 566, 577, 588, …), VoIP ranges (+1 600), UAN, pagers, voicemail
 * access, shared-cost, premium-rate, and numbers the metadata cannot type at all. An allow-list, not a
 * deny-list: a type added to the numbering plan later is refused until someone decides otherwise.
 */
const CALLABLE_TYPES: ReadonlySet<string> = new Set(['FIXED_LINE', 'MOBILE', 'FIXED_LINE_OR_MOBILE']);

/**
 * Normalises whatever a person dialled ("919 555 1212", "(919) 555-1212", "+44 20 …", "1-919-…") with the
 * full metadata, default region US, and applies the toll-fraud rules: a valid number of a callable type
 * (toll-free only when allowed) in an allowed country.
 */
export function checkDialledNumber(dialled: string, rules: DialRules): DialCheck {
  const parsed = phoneNumbers().parsePhoneNumberFromString(dialled.trim(), 'US');
  if (!parsed || !parsed.isValid()) return { ok: false, reason: 'invalid-number' };
  const type = parsed.getType();
  if (type === 'PREMIUM_RATE' || type === 'SHARED_COST') return { ok: false, reason: 'premium-rate' };
  if (type === 'TOLL_FREE') {
    if (!rules.allowTollFree) return { ok: false, reason: 'toll-free-not-allowed' };
  } else if (type === undefined || !CALLABLE_TYPES.has(type)) {
    return { ok: false, reason: 'number-type-not-allowed' };
  }
  if (!parsed.country || !rules.allowedCountries.includes(parsed.country)) {
    return { ok: false, reason: 'blocked-country' };
  }
  return { ok: true, e164: parsed.number, country: parsed.country };
}

/**
 * A geographic ("local") number: fixed line, or NANP's fixed-line-or-mobile. Not toll-free, premium-rate,
 * shared-cost, personal, VoIP, UAN or anything else the provider might bill differently: the only kind of
 * number sign-up orders.
 */
export function isLocalNumber(e164: string): boolean {
  const parsed = phoneNumbers().parsePhoneNumberFromString(e164);
  if (!parsed || !parsed.isValid()) return false;
  const type = parsed.getType();
  return type === 'FIXED_LINE' || type === 'FIXED_LINE_OR_MOBILE';
}

/** Best-effort E.164 for look-ups (no policy): undefined when it is not a phone number at all. */
export function toE164(value: string): string | undefined {
  if (E164.test(value)) return value;
  const parsed = phoneNumbers().parsePhoneNumberFromString(value.trim(), 'US');
  return parsed?.isPossible() ? parsed.number : undefined;
}

export function formatNational(e164: string): string {
  const parsed = phoneNumbers().parsePhoneNumberFromString(e164);
  return parsed ? parsed.formatNational() : e164;
}

/**
 * libphonenumber-js with its full metadata ("max": the only set that tells number types apart, which the
 * premium-rate rule needs), required the first time a number is parsed rather than at module load:
 * it is part of the app's cold start (bench figure 2) and no request before routing or sign-up needs it.
 * A synchronous require() keeps these functions synchronous for their callers.
 */
function phoneNumbers(): typeof import('libphonenumber-js/max') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use and synchronously (see above)
  return require('libphonenumber-js/max') as typeof import('libphonenumber-js/max');
}
