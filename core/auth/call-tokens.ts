// Caller and pickup tokens: how a dialpad proves its user on a Bandwidth In-App call. In-App Calling access
// tokens belong to the whole account, and the `from` of an In-App call is the account's number, so neither says
// which user calls. The app signs its own short-lived token; the dialpad sends it in the INVITE's User-to-User
// header (RFC 7433, `<jwt>;encoding=jwt`) and Bandwidth hands that header to the `initiate` callback as `uui`
// (docs/contracts/bandwidth-v2.md §9.2, §11.2).
//
// Compact JWTs (RFC 7519) signed with HS256 under a key of their own (crypto/derive-keys.ts, "call-token").
// `uui` holds at most 256 characters WITH the encoding parameter, so the header has no `typ` and the claims
// are short: `sub` (username), `pur` ('call' | 'pickup'), `call` (the parked call, pickup only), `exp`. The
// longest token (a 32-character username, a 47-character Bandwidth call id) is 240 characters.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { isCallId } from '../routing/call-id';

export interface CallTokenKeys {
  callTokenKey: Buffer;
}

export interface SignedCallToken {
  /** The bare JWT; the dialpad sends `${token};encoding=jwt` (`uuiHeaderValue`). */
  token: string;
  expiresAt: Date;
}

/** Caller tokens live with the In-App token they are handed out with (refreshed together). */
export const CALLER_TOKEN_TTL_SECONDS = 10 * 60;
/** A pickup token only has to outlive the ring (30 s) and the dialpad's call back. */
export const PICKUP_TOKEN_TTL_SECONDS = 60;
/** Bandwidth's limit on `uui` (bandwidth.yml, schema `uui`), encoding parameter included. */
export const MAX_UUI_LENGTH = 256;

const ENCODING_PARAMETER = ';encoding=jwt';
const HEADER = base64url(JSON.stringify({ alg: 'HS256' }));
const USERNAME = /^[a-z0-9._-]{3,32}$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export type VerifiedCallToken =
  | { valid: true; purpose: 'call'; username: string }
  | { valid: true; purpose: 'pickup'; username: string; parkedCallId: string };

export type CallTokenFailure =
  | 'missing' // no uui at all
  | 'oversize' // longer than Bandwidth lets uui be: never one of ours
  | 'unsupported-encoding' // an RFC 7433 encoding other than jwt
  | 'malformed' // not three base64url parts of JSON
  | 'unsupported-algorithm' // anything but HS256 (notably "none")
  | 'bad-signature'
  | 'bad-claims' // signed, but not a shape this app signs (unknown purpose, missing call id, too long a life)
  | 'expired';

export type CallTokenVerification = VerifiedCallToken | { valid: false; reason: CallTokenFailure };

/** The token a dialpad sends with every call it places (returned by POST /api/me/webrtc-token). */
export function signCallerToken(keys: CallTokenKeys, username: string, nowMs: number): SignedCallToken {
  return sign(keys, { sub: username, pur: 'call' }, nowMs, CALLER_TOKEN_TTL_SECONDS);
}

/** The token that lets `username`'s dialpad answer the parked call `parkedCallId` (sent with the notification). */
export function signPickupToken(
  keys: CallTokenKeys,
  username: string,
  parkedCallId: string,
  nowMs: number,
): SignedCallToken {
  if (!isCallId(parkedCallId)) throw new RangeError('A pickup token needs a valid call id.');
  return sign(keys, { sub: username, pur: 'pickup', call: parkedCallId }, nowMs, PICKUP_TOKEN_TTL_SECONDS);
}

/** The User-to-User header value (RFC 7433) a dialpad sends for a token. */
export function uuiHeaderValue(token: string): string {
  return token + ENCODING_PARAMETER;
}

/**
 * Verifies the `uui` of an `initiate` callback: `<jwt>;encoding=jwt` (other RFC 7433 parameters ignored) or the
 * bare JWT. Never throws: a failure is a reason for the call's refusal and the log.
 */
export function verifyCallToken(
  keys: CallTokenKeys,
  uuiHeaderValue: string | undefined,
  nowMs: number,
): CallTokenVerification {
  const fail = (reason: CallTokenFailure): CallTokenVerification => ({ valid: false, reason });
  if (uuiHeaderValue === undefined || uuiHeaderValue.trim() === '') return fail('missing');
  if (uuiHeaderValue.length > MAX_UUI_LENGTH) return fail('oversize');
  const [data = '', ...parameters] = uuiHeaderValue.split(';').map((part) => part.trim());
  const encoding = parameters.map((p) => p.match(/^encoding\s*=\s*(.*)$/i)?.[1]).find((v) => v !== undefined);
  if (encoding !== undefined && encoding.toLowerCase() !== 'jwt') return fail('unsupported-encoding');

  const [header = '', payload = '', signature = '', ...extra] = data.split('.');
  if (extra.length > 0 || ![header, payload, signature].every((part) => BASE64URL.test(part))) {
    return fail('malformed');
  }
  const headerJson = parseJson(header);
  if (!isRecord(headerJson)) return fail('malformed');
  if (headerJson.alg !== 'HS256' || headerJson.crit !== undefined) return fail('unsupported-algorithm');
  if (headerJson.typ !== undefined && headerJson.typ !== 'JWT') return fail('malformed');

  // Compare the canonical encoding of the expected MAC with what was sent, in constant time: a non-canonical
  // base64url spelling of the right MAC is refused too, so one token has exactly one valid form.
  const expected = Buffer.from(mac(keys.callTokenKey, `${header}.${payload}`), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return fail('bad-signature');

  const claims = parseJson(payload);
  if (!isRecord(claims) || typeof claims.sub !== 'string' || !USERNAME.test(claims.sub)) return fail('bad-claims');
  if (typeof claims.exp !== 'number' || !Number.isInteger(claims.exp)) return fail('bad-claims');
  const nowSeconds = nowMs / 1000;
  let verified: VerifiedCallToken;
  let maxTtl: number;
  if (claims.pur === 'call' && claims.call === undefined) {
    verified = { valid: true, purpose: 'call', username: claims.sub };
    maxTtl = CALLER_TOKEN_TTL_SECONDS;
  } else if (claims.pur === 'pickup' && isCallId(claims.call)) {
    verified = { valid: true, purpose: 'pickup', username: claims.sub, parkedCallId: claims.call };
    maxTtl = PICKUP_TOKEN_TTL_SECONDS;
  } else {
    return fail('bad-claims');
  }
  // A life longer than this app ever signs means the key signed something else: refuse it. The minute of slack
  // covers instances whose clocks differ a little.
  if (claims.exp > nowSeconds + maxTtl + 60) return fail('bad-claims');
  if (claims.exp <= nowSeconds) return fail('expired');
  return verified;
}

function sign(
  keys: CallTokenKeys,
  claims: { sub: string; pur: string; call?: string },
  nowMs: number,
  ttlSeconds: number,
): SignedCallToken {
  if (!USERNAME.test(claims.sub)) throw new RangeError('A call token needs a valid username.');
  const exp = Math.floor(nowMs / 1000) + ttlSeconds;
  const payload = base64url(JSON.stringify({ ...claims, exp }));
  const token = `${HEADER}.${payload}.${mac(keys.callTokenKey, `${HEADER}.${payload}`)}`;
  // Bandwidth would cut a longer uui; better to fail here, where the cause is plain.
  if (uuiHeaderValue(token).length > MAX_UUI_LENGTH) throw new RangeError('The call token would not fit in uui.');
  return { token, expiresAt: new Date(exp * 1000) };
}

function mac(key: Buffer, input: string): string {
  return createHmac('sha256', key).update(input).digest('base64url');
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

function parseJson(part: string): unknown {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
