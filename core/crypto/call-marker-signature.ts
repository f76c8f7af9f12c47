// A provider's callback credentials are stored in its application settings and readable there, so a callback URL
// that names a call the app tracks (the original call of a transfer, or a parked call) also carries a signature
// over that call, made with a key that never leaves the app: events about that call are believed only with it.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The query parameter carrying the signature over the call a callback URL names. */
export const SIGNATURE_PARAM = 'sig';
/** Signature format version: a new scheme gets a new prefix, and the reader says which ones it accepts. */
const SIGNATURE_VERSION = 'v1';

export function signCallMarker(signingKey: Buffer, callId: string): string {
  const mac = createHmac('sha256', signingKey).update(`transfer:${callId}`).digest('base64url');
  return `${SIGNATURE_VERSION}.${mac}`;
}

/** True when `signature` is this app's signature over `callId` (constant-time comparison). */
export function isCallMarkerSigned(signingKey: Buffer, callId: string, signature: string | undefined): boolean {
  if (!signature) return false;
  const expected = Buffer.from(signCallMarker(signingKey, callId));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
