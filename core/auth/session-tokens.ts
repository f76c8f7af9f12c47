// Bearer session tokens: "<payload>.<signature>", payload = base64url JSON {u, exp, kid}, signature =
// HMAC-SHA256(payload) under the session key. Stateless: nothing is stored, and a changed APP_SECRET
// (another key id) invalidates every token.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppError } from '../errors';

export interface SessionTokenKeys {
  sessionKey: Buffer;
  sessionKeyId: string;
}

export interface IssuedToken {
  token: string;
  expiresAt: Date;
}

interface Payload {
  u: string;
  exp: number; // epoch seconds
  kid: string;
}

export function issueSessionToken(
  keys: SessionTokenKeys,
  username: string,
  ttlHours: number,
  now = Date.now(),
): IssuedToken {
  const exp = Math.floor(now / 1000) + Math.round(ttlHours * 3600);
  const payload = Buffer.from(JSON.stringify({ u: username, exp, kid: keys.sessionKeyId } satisfies Payload)).toString(
    'base64url',
  );
  return { token: `${payload}.${sign(keys.sessionKey, payload)}`, expiresAt: new Date(exp * 1000) };
}

/** Returns the username; throws AppError('unauthorized') for anything but a valid, unexpired token of ours. */
export function verifySessionToken(keys: SessionTokenKeys, token: string, now = Date.now()): string {
  const parts = token.split('.');
  if (parts.length !== 2 || !parts[0] || !parts[1]) throw unauthorized('The session token is malformed.');
  const [payload, signature] = parts;
  const expected = Buffer.from(sign(keys.sessionKey, payload), 'base64url');
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw unauthorized('The session token is not valid. Log in again.');
  }
  let decoded: Partial<Payload>;
  try {
    decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Partial<Payload>;
  } catch {
    throw unauthorized('The session token is malformed.');
  }
  if (decoded.kid !== keys.sessionKeyId || typeof decoded.u !== 'string' || typeof decoded.exp !== 'number') {
    throw unauthorized('The session token is not valid. Log in again.');
  }
  if (decoded.exp * 1000 <= now) throw unauthorized('The session has expired. Log in again.');
  return decoded.u;
}

/** Parses "Bearer <token>" (scheme case-insensitive). */
export function bearerToken(header: string | undefined): string {
  const token = header?.match(/^\s*Bearer\s+(\S+)\s*$/i)?.[1];
  if (token === undefined) throw unauthorized('Send the session token as "Authorization: Bearer <token>".');
  return token;
}

function sign(key: Buffer, payload: string): string {
  return createHmac('sha256', key).update(payload).digest('base64url');
}

function unauthorized(message: string): AppError {
  return new AppError('unauthorized', message);
}
