// Checks the JSON Web Tokens Azure Web PubSub accepts when it is authenticated with an access key: HS256,
// signed with the key's text as the HMAC secret (what Microsoft's own SDKs do), an `aud` that names what the
// token is for, and an `exp` in the future. Written here from the public protocol description, not shared with
// the app's notifier, so a disagreement between the two shows up as a failed test.
import { createHmac, timingSafeEqual } from 'node:crypto';

export type TokenProblem =
  | 'token-missing'
  | 'token-malformed'
  | 'token-algorithm'
  | 'token-signature'
  | 'token-audience'
  | 'token-expired'
  | 'token-not-yet-valid';

export interface TokenClaims {
  aud?: string | string[];
  exp?: number;
  nbf?: number;
  sub?: string;
  [claim: string]: unknown;
}

export type TokenCheck = { ok: true; claims: TokenClaims } | { ok: false; problem: TokenProblem; message: string };

function fail(problem: TokenProblem, message: string): TokenCheck {
  return { ok: false, problem, message };
}

function decodeJson(part: string): unknown {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Verifies `token` for `audience` at `nowSeconds`; no clock leeway, so an expired token is refused at once. */
export function verifyAccessToken(
  token: string | undefined,
  key: string,
  audience: string,
  nowSeconds: number,
): TokenCheck {
  if (!token) return fail('token-missing', 'No access token.');
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((part) => !/^[A-Za-z0-9_-]*$/.test(part)))
    return fail('token-malformed', 'The access token is not a compact JWT.');
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = decodeJson(headerPart);
  const claims = decodeJson(payloadPart);
  if (!isRecord(header) || !isRecord(claims)) return fail('token-malformed', 'The access token is not valid JSON.');
  // Only HS256: an `alg: none` or RS256 header must never be accepted with a shared key.
  if (header.alg !== 'HS256') return fail('token-algorithm', `Algorithm ${String(header.alg)} is not accepted.`);

  const expected = createHmac('sha256', key).update(`${headerPart}.${payloadPart}`).digest();
  const given = Buffer.from(signaturePart, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return fail('token-signature', 'The access token is not signed with this access key.');

  const audiences = typeof claims.aud === 'string' ? [claims.aud] : Array.isArray(claims.aud) ? claims.aud : [];
  if (!audiences.includes(audience)) return fail('token-audience', `The access token is not for ${audience}.`);
  if (typeof claims.exp !== 'number') return fail('token-expired', 'The access token has no expiry.');
  if (claims.exp <= nowSeconds) return fail('token-expired', 'The access token has expired.');
  if (typeof claims.nbf === 'number' && claims.nbf > nowSeconds)
    return fail('token-not-yet-valid', 'The access token is not valid yet.');
  return { ok: true, claims: claims };
}
