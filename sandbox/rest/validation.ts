// Input checks shared by the resources. Catapult answers bad input with 400 `validation-error`
// (docs/contracts/catapult-v1.md §2); inputs accept string booleans ("true"/"false") as the docs' own examples send
// them.
import { catapultError, type SandboxHttpError } from '../errors';

export function validationError(message: string): SandboxHttpError {
  return catapultError(400, 'bad-request', 'validation-error', message);
}

/** The body as an object; `allowEmpty` treats no body, `null` and `""` (as some SDKs send) as {}. */
export function bodyObject(body: unknown, allowEmpty = false): Record<string, unknown> {
  if (allowEmpty && (body === undefined || body === null || body === '')) return {};
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw validationError('The request body must be a JSON object');
  return body as Record<string, unknown>;
}

export function optionalString(body: Record<string, unknown>, name: string, maxLength = 1024): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw validationError(`${name} must be a string`);
  if (value.length > maxLength) throw validationError(`${name} must be at most ${maxLength} characters`);
  return value;
}

export function requiredString(body: Record<string, unknown>, name: string, maxLength = 1024): string {
  const value = optionalString(body, name, maxLength);
  if (value === undefined || value.trim() === '') throw validationError(`${name} is required`);
  return value;
}

export function optionalBoolean(body: Record<string, unknown>, name: string): boolean | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw validationError(`${name} must be true or false`);
}

/** A whole number, as a JSON number or a string of digits. */
export function optionalInteger(body: Record<string, unknown>, name: string): number | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d{1,12}$/.test(value)) return Number(value);
  throw validationError(`${name} must be a whole number`);
}

/** NANP E.164, the only numbers the sandbox's network knows. */
export const E164_NANP = /^\+1[2-9]\d{2}[2-9]\d{6}$/;

export function isE164(value: string): boolean {
  return E164_NANP.test(value);
}

/** Absolute http(s) URL, optionally with userinfo (Catapult's way of webhook Basic auth). */
export function isCallbackUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}
