// Phone-number rules. Storage keys and Catapult calls only ever see strict E.164.
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { AppError } from '../errors';

const E164 = /^\+[1-9]\d{6,14}$/;

export function isE164(value: unknown): value is string {
  return typeof value === 'string' && E164.test(value);
}

/** A number the user picked from a search result: must already be E.164 (after trimming). */
export function requireE164(input: unknown, field = 'number'): string {
  const value = typeof input === 'string' ? input.trim() : input;
  if (!isE164(value)) throw new AppError('invalid-number', 'The number must be in E.164 format, e.g. +19195551212.', field);
  return value;
}

export type DialCheck =
  | { ok: true; e164: string; country?: string }
  | { ok: false; reason: 'invalid-number' | 'premium-rate' | 'blocked-country' };

/**
 * Normalises whatever a person dialled ("919 555 1212", "(919) 555-1212", "+44 20 …", "1-919-…") with the
 * full metadata, default region US, and applies the toll-fraud rules: valid, not premium-rate, allowed country.
 */
export function checkDialledNumber(dialled: string, allowedCountries: readonly string[]): DialCheck {
  const parsed = parsePhoneNumberFromString(dialled.trim(), 'US');
  if (!parsed || !parsed.isValid()) return { ok: false, reason: 'invalid-number' };
  const type = parsed.getType();
  if (type === 'PREMIUM_RATE' || type === 'SHARED_COST') return { ok: false, reason: 'premium-rate' };
  if (!parsed.country || !allowedCountries.includes(parsed.country)) return { ok: false, reason: 'blocked-country' };
  return { ok: true, e164: parsed.number, country: parsed.country };
}

/** Best-effort E.164 for look-ups (no policy): undefined when it is not a phone number at all. */
export function toE164(value: string): string | undefined {
  if (E164.test(value)) return value;
  const parsed = parsePhoneNumberFromString(value.trim(), 'US');
  return parsed?.isPossible() ? parsed.number : undefined;
}

export function formatNational(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  return parsed ? parsed.formatNational() : e164;
}
