// Catapult's loose JSON made strict (docs/contracts/catapult-v1.md §1): booleans arrive as true or "true", numbers
// sometimes as strings, `sipUri` with or without its scheme, and a number's application as `applicationId` or as an
// `application` URL.
import { idFromLocation } from './location-id';

export type RawRecord = Record<string, unknown>;

export function asRecord(value: unknown): RawRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as RawRecord) : {};
}

/** `true`/`false` or their string forms (any case); anything else gives the fallback. */
export function toBoolean(value: unknown, fallback: boolean): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const lowered = value.trim().toLowerCase();
    if (lowered === 'true') return true;
    if (lowered === 'false') return false;
  }
  return fallback;
}

export function toOptionalString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

export function toText(value: unknown): string {
  return toOptionalString(value) ?? '';
}

export function toOptionalNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
}

/** The ap-docs examples drop the scheme (`jsmith@x.bwapp.bwsip.io`); the SIP guide keeps it. */
export function normaliseSipUri(value: unknown): string {
  const text = toText(value).trim();
  if (text === '' || /^sips?:/i.test(text)) return text;
  return `sip:${text}`;
}

/** `applicationId`, else the last segment of the `application` URL (doc examples show only the URL). */
export function applicationIdOf(raw: RawRecord): string | undefined {
  const direct = toOptionalString(raw.applicationId);
  if (direct) return direct;
  return idFromLocation(toOptionalString(raw.application));
}

/**
 * Copies only the defined entries, so updates leave unspecified properties unchanged
 * (docs/contracts/catapult-v1.md §1).
 */
export function definedOnly<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
