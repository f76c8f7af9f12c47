// Access tokens (Bearer) and refresh tokens of the log-in sessions (core/accounts/sessions.ts).
//
// Access token: "<payload>.<signature>", payload = base64url JSON {u, sid, exp, kid}, signature =
// HMAC-SHA256(payload) under the session key. Short-lived; the session it names (sid) is looked up on use, so an
// ended session's tokens stop working at once. A changed APP_SECRET (another key id) invalidates every token.
// Refresh token: "rt1.<base64url username>.<session id>.<secret>"; only a hash of the secret is stored.
// Both compare in canonical form only: a token re-spelled with other base64url characters that decode to the
// same bytes (trailing bits, padding) is refused, so there is exactly one spelling of each valid token.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError } from '../errors';

export interface SessionTokenKeys {
  sessionKey: Buffer;
  sessionKeyId: string;
}

export interface IssuedToken {
  token: string;
  expiresAt: Date;
}

export interface AccessClaims {
  username: string;
  sessionId: string;
}

interface Payload {
  u: string;
  sid: string;
  exp: number; // epoch seconds
  kid: string;
}

const SESSION_ID = /^[A-Za-z0-9_-]{22}$/;
const REFRESH_PREFIX = 'rt1';

export function newSessionId(): string {
  return randomBytes(16).toString('base64url');
}

export function issueAccessToken(keys: SessionTokenKeys, claims: AccessClaims, expiresAt: Date): IssuedToken {
  const exp = Math.floor(expiresAt.getTime() / 1000);
  const body: Payload = { u: claims.username, sid: claims.sessionId, exp, kid: keys.sessionKeyId };
  const payload = Buffer.from(JSON.stringify(body)).toString('base64url');
  return { token: `${payload}.${sign(keys.sessionKey, payload)}`, expiresAt: new Date(exp * 1000) };
}

/** The claims of a valid, unexpired access token of ours; AppError('unauthorized') for anything else. */
export function verifyAccessToken(keys: SessionTokenKeys, token: string, now = Date.now()): AccessClaims {
  const parts = token.split('.');
  if (parts.length !== 2 || !parts[0] || !parts[1]) throw unauthorized('The session token is malformed.');
  const [payload, signature] = parts;
  if (!sameText(signature, sign(keys.sessionKey, payload))) {
    throw unauthorized('The session token is not valid. Log in again.');
  }
  let decoded: Partial<Payload>;
  try {
    decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Partial<Payload>;
  } catch {
    throw unauthorized('The session token is malformed.');
  }
  if (
    decoded.kid !== keys.sessionKeyId ||
    typeof decoded.u !== 'string' ||
    typeof decoded.sid !== 'string' ||
    !SESSION_ID.test(decoded.sid) ||
    typeof decoded.exp !== 'number'
  ) {
    throw unauthorized('The session token is not valid. Log in again.');
  }
  if (decoded.exp * 1000 <= now) throw unauthorized('The session token has expired.');
  return { username: decoded.u, sessionId: decoded.sid };
}

/** A new refresh token and the hash to store for it. */
export function issueRefreshToken(claims: AccessClaims): { token: string; hash: string } {
  const secret = randomBytes(32).toString('base64url');
  const user = Buffer.from(claims.username, 'utf8').toString('base64url');
  return { token: `${REFRESH_PREFIX}.${user}.${claims.sessionId}.${secret}`, hash: hashSecret(secret) };
}

/** The session a refresh token names, and its secret's hash to compare with the stored one. */
export function parseRefreshToken(token: string): AccessClaims & { hash: string } {
  const [prefix, user, sessionId, secret, ...extra] = token.split('.');
  if (prefix !== REFRESH_PREFIX || !user || !sessionId || !secret || extra.length > 0) throw malformedRefresh();
  const username = Buffer.from(user, 'base64url').toString('utf8');
  const canonical =
    Buffer.from(username, 'utf8').toString('base64url') === user &&
    SESSION_ID.test(sessionId) &&
    /^[A-Za-z0-9_-]{43}$/.test(secret) &&
    Buffer.from(secret, 'base64url').toString('base64url') === secret;
  if (!canonical) throw malformedRefresh();
  return { username, sessionId, hash: hashSecret(secret) };
}

/** Constant-time equality of two stored/derived strings (hashes, signatures). */
export function sameText(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Parses "Bearer <token>" (scheme case-insensitive). */
export function bearerToken(header: string | undefined): string {
  const token = header?.match(/^\s*Bearer\s+(\S+)\s*$/i)?.[1];
  if (token === undefined) throw unauthorized('Send the session token as "Authorization: Bearer <token>".');
  return token;
}

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}

function sign(key: Buffer, payload: string): string {
  return createHmac('sha256', key).update(payload).digest('base64url');
}

function malformedRefresh(): AppError {
  return unauthorized('The refresh token is malformed. Log in again.');
}

function unauthorized(message: string): AppError {
  return new AppError('unauthorized', message);
}
