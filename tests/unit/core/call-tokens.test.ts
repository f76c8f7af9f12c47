import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import {
  CALLER_TOKEN_TTL_SECONDS,
  MAX_UUI_LENGTH,
  PICKUP_TOKEN_TTL_SECONDS,
  signCallerToken,
  signPickupToken,
  uuiHeaderValue,
  verifyCallToken,
} from '../../../core/auth/call-tokens';
import { deriveKeys } from '../../../core/crypto/derive-keys';

const keys = deriveKeys('an-app-secret-that-is-long-enough-0123456789');
const otherKeys = deriveKeys('another-app-secret-that-is-long-enough-987654');
const now = Date.parse('2026-11-26T10:00:00Z');
const parkedCallId = 'c-95ac8d6e-1a31c52e-b38f-4198-93c1-51633ec68f8d';

const b64 = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
/** A token built by hand: what a forger (or a careless signer) could send. */
function handMade(header: unknown, claims: unknown, key: Buffer | null = keys.callTokenKey): string {
  const input = `${b64(header)}.${b64(claims)}`;
  return `${input}.${key ? createHmac('sha256', key).update(input).digest('base64url') : ''}`;
}
const reason = (uui: string | undefined, at = now) => {
  const result = verifyCallToken(keys, uui, at);
  return result.valid ? 'valid' : result.reason;
};

test('the call-token key is its own HKDF label: not the session key, and different per APP_SECRET', () => {
  assert.equal(keys.callTokenKey.length, 32);
  assert.notDeepEqual(keys.callTokenKey, keys.sessionKey);
  assert.notDeepEqual(keys.callTokenKey, keys.sipPasswordKey);
  assert.notDeepEqual(keys.callTokenKey, otherKeys.callTokenKey);
});

test('a caller token verifies in the RFC 7433 form and bare, as the user it was signed for', () => {
  const signed = signCallerToken(keys, 'alice', now);
  assert.equal(signed.expiresAt.getTime(), now + CALLER_TOKEN_TTL_SECONDS * 1000);
  assert.ok(CALLER_TOKEN_TTL_SECONDS <= 600);
  assert.equal(uuiHeaderValue(signed.token), `${signed.token};encoding=jwt`);
  const expected = { valid: true, purpose: 'call', username: 'alice' };
  assert.deepEqual(verifyCallToken(keys, uuiHeaderValue(signed.token), now + 1000), expected);
  assert.deepEqual(verifyCallToken(keys, signed.token, now + 1000), expected);
  // Parameter spelling as RFC 3261 allows it (case, blanks), and RFC 7433's other parameters.
  assert.deepEqual(verifyCallToken(keys, `${signed.token} ; Encoding=JWT;purpose=call`, now), expected);
});

test('a pickup token carries the parked call and lives at most a minute', () => {
  const signed = signPickupToken(keys, 'bob', parkedCallId, now);
  assert.ok(PICKUP_TOKEN_TTL_SECONDS <= 60);
  assert.equal(signed.expiresAt.getTime(), now + PICKUP_TOKEN_TTL_SECONDS * 1000);
  assert.deepEqual(verifyCallToken(keys, uuiHeaderValue(signed.token), now + 59_000), {
    valid: true,
    purpose: 'pickup',
    username: 'bob',
    parkedCallId,
  });
  assert.equal(reason(uuiHeaderValue(signed.token), now + 60_000), 'expired');
});

test('the longest token (32-character username, a Bandwidth call id) fits uui with its parameter', () => {
  const longest = signPickupToken(keys, 'a'.repeat(32), parkedCallId, now);
  assert.ok(uuiHeaderValue(longest.token).length <= MAX_UUI_LENGTH, `${uuiHeaderValue(longest.token).length}`);
  assert.equal(reason(uuiHeaderValue(longest.token)), 'valid');
  assert.throws(() => signPickupToken(keys, 'alice', 'c-' + 'x'.repeat(98), now), RangeError);
  assert.throws(() => signPickupToken(keys, 'alice', 'not a call id', now), RangeError);
  assert.throws(() => signCallerToken(keys, 'Not A Username', now), RangeError);
});

test('expired at exp exactly, valid one second before', () => {
  const signed = signCallerToken(keys, 'alice', now);
  assert.equal(reason(signed.token, now + CALLER_TOKEN_TTL_SECONDS * 1000 - 1000), 'valid');
  assert.equal(reason(signed.token, now + CALLER_TOKEN_TTL_SECONDS * 1000), 'expired');
});

test('missing, oversize, other encodings and malformed values are refused with their reason', () => {
  const token = signCallerToken(keys, 'alice', now).token;
  assert.equal(reason(undefined), 'missing');
  assert.equal(reason(''), 'missing');
  assert.equal(reason(`${token};encoding=jwt;x=${'y'.repeat(MAX_UUI_LENGTH)}`), 'oversize');
  assert.equal(reason(`${token};encoding=hex`), 'unsupported-encoding');
  assert.equal(reason(`${token};encoding=base64`), 'unsupported-encoding');
  assert.equal(reason('abc;encoding=jwt'), 'malformed');
  assert.equal(reason(`${token}.extra`), 'malformed');
  assert.equal(reason(token.replace('.', '.+')), 'malformed');
  assert.equal(reason(handMade('not json', { sub: 'alice', pur: 'call', exp: now / 1000 + 60 })), 'malformed');
  assert.equal(
    reason(handMade({ alg: 'HS256', typ: 'JWS' }, { sub: 'alice', pur: 'call', exp: now / 1000 + 60 })),
    'malformed',
  );
});

test('only HS256: "none", other algorithms and critical extensions are refused even with a valid MAC', () => {
  const claims = { sub: 'alice', pur: 'call', exp: now / 1000 + 60 };
  assert.equal(reason(handMade({ alg: 'HS256', typ: 'JWT' }, claims)), 'valid'); // the typ header is allowed
  assert.equal(reason(handMade({ alg: 'none' }, claims, null).replace(/\.$/, '.x')), 'unsupported-algorithm');
  assert.equal(reason(handMade({ alg: 'none' }, claims, null)), 'malformed'); // empty signature part
  assert.equal(reason(handMade({ alg: 'HS512' }, claims)), 'unsupported-algorithm');
  assert.equal(reason(handMade({ alg: 'RS256' }, claims)), 'unsupported-algorithm');
  assert.equal(reason(handMade({ alg: 'hs256' }, claims)), 'unsupported-algorithm');
  assert.equal(reason(handMade({ alg: 'HS256', crit: ['exp'] }, claims)), 'unsupported-algorithm');
});

test('a bad signature: another APP_SECRET, a changed payload, a flipped or re-spelled MAC', () => {
  const token = signCallerToken(keys, 'alice', now).token;
  assert.equal(reason(signCallerToken(otherKeys, 'alice', now).token), 'bad-signature');
  const [header = '', , signature = ''] = token.split('.');
  const forged = `${header}.${b64({ sub: 'mallory', pur: 'call', exp: now / 1000 + 60 })}.${signature}`;
  assert.equal(reason(forged), 'bad-signature');
  const flipped = signature.slice(0, -2) + (signature.slice(-2, -1) === 'A' ? 'B' : 'A') + signature.slice(-1);
  assert.equal(reason(token.slice(0, -signature.length) + flipped), 'bad-signature');
  // The last character of a 32-byte MAC carries 2 unused bits: another letter can decode to the same bytes.
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const sameBytes = alphabet[alphabet.indexOf(signature.slice(-1)) ^ 1] ?? '';
  const respelled = token.slice(0, -1) + sameBytes;
  assert.deepEqual(Buffer.from(respelled.split('.')[2] ?? '', 'base64url'), Buffer.from(signature, 'base64url'));
  assert.equal(reason(respelled), 'bad-signature');
  assert.equal(reason(token.slice(0, -1)), 'bad-signature');
});

test('signed claims of a shape this app never signs are refused', () => {
  const exp = now / 1000 + 30;
  const cases: unknown[] = [
    { sub: 'alice', pur: 'admin', exp },
    { sub: 'alice', exp },
    { sub: 'alice', pur: 'call', call: parkedCallId, exp }, // a caller token names no call
    { sub: 'alice', pur: 'pickup', exp }, // a pickup token must
    { sub: 'alice', pur: 'pickup', call: 'x y', exp },
    { sub: 'Alice!', pur: 'call', exp },
    { sub: 42, pur: 'call', exp },
    { pur: 'call', exp },
    { sub: 'alice', pur: 'call', exp: String(exp) },
    { sub: 'alice', pur: 'call', exp: exp + 0.5 },
    { sub: 'alice', pur: 'call' },
    { sub: 'alice', pur: 'call', exp: now / 1000 + CALLER_TOKEN_TTL_SECONDS + 3600 }, // lives too long
    { sub: 'alice', pur: 'pickup', call: parkedCallId, exp: now / 1000 + 600 }, // a pickup of ten minutes
    ['alice'],
    'alice',
  ];
  for (const claims of cases)
    assert.equal(reason(handMade({ alg: 'HS256' }, claims)), 'bad-claims', JSON.stringify(claims));
});
