import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import {
  bearerToken,
  issueAccessToken,
  issueRefreshToken,
  newSessionId,
  parseRefreshToken,
  verifyAccessToken,
} from '../../../core/auth/session-tokens';
import { checkWebhookAuthorization } from '../../../core/auth/webhook-auth';
import { buildWebhookUrl } from '../../../core/providers/catapult/webhook-url';
import { deriveKeys } from '../../../core/crypto/derive-keys';
import { randomPassword, randomSuffix } from '../../../core/crypto/random';
import { decryptSecret, encryptSecret } from '../../../core/crypto/secret-box';
import { isAppError } from '../../../core/errors';

const keys = deriveKeys('an-app-secret-that-is-long-enough-0123456789');
const otherKeys = deriveKeys('another-app-secret-that-is-long-enough-987654');
const unauthorized = (fn: () => unknown, message?: RegExp) =>
  assert.throws(fn, (e) => isAppError(e) && e.code === 'unauthorized' && (!message || message.test(e.message)));

test('keys are derived per purpose and differ between secrets', () => {
  assert.equal(keys.sessionKey.length, 32);
  assert.equal(keys.sipPasswordKey.length, 32);
  assert.notDeepEqual(keys.sessionKey, keys.sipPasswordKey);
  assert.notEqual(keys.webhookPassword, otherKeys.webhookPassword);
  assert.deepEqual(deriveKeys('an-app-secret-that-is-long-enough-0123456789'), keys);
  assert.match(keys.webhookPassword, /^[A-Za-z0-9_-]{32}$/);
});

test('sealed secrets round-trip, and fail when tampered, moved to another user, or under another key', () => {
  const sealed = encryptSecret(keys.sipPasswordKey, 'pa55word', 'alice');
  assert.notEqual(sealed, encryptSecret(keys.sipPasswordKey, 'pa55word', 'alice')); // random IV
  assert.doesNotMatch(sealed, /pa55word/);
  assert.equal(decryptSecret(keys.sipPasswordKey, sealed, 'alice'), 'pa55word');
  assert.throws(() => decryptSecret(keys.sipPasswordKey, sealed, 'bob'));
  assert.throws(() => decryptSecret(otherKeys.sipPasswordKey, sealed, 'alice'));
  const parts = sealed.split('.');
  parts[2] = Buffer.from('tampered!').toString('base64url');
  assert.throws(() => decryptSecret(keys.sipPasswordKey, parts.join('.'), 'alice'));
});

test('random names and passwords have the promised shape', () => {
  assert.match(randomSuffix(8), /^[a-z0-9]{8}$/);
  assert.match(randomPassword(), /^[A-Za-z0-9]{24}$/);
  assert.notEqual(randomPassword(), randomPassword());
});

test('access tokens verify, expire, name their session, and are bound to the key', () => {
  const now = Date.parse('2026-11-26T10:00:00Z');
  const sessionId = newSessionId();
  const issued = issueAccessToken(keys, { username: 'alice', sessionId }, new Date(now + 600_000));
  assert.equal(issued.expiresAt.toISOString(), '2026-11-26T10:10:00.000Z');
  assert.deepEqual(verifyAccessToken(keys, issued.token, now + 300_000), { username: 'alice', sessionId });
  unauthorized(() => verifyAccessToken(keys, issued.token, now + 600_000), /expired/);
  unauthorized(() => verifyAccessToken(otherKeys, issued.token, now), /not valid/);
  unauthorized(() => verifyAccessToken(keys, 'garbage', now), /malformed/);
  const [payload, signature] = issued.token.split('.');
  assert.ok(payload && signature, 'a token is <payload>.<signature>');
  const forged = Buffer.from(
    JSON.stringify({ u: 'mallory', sid: sessionId, exp: 9e9, kid: keys.sessionKeyId }),
  ).toString('base64url');
  unauthorized(() => verifyAccessToken(keys, `${forged}.${signature}`, now), /not valid/);
  unauthorized(() => verifyAccessToken(keys, `${payload}.${signature.slice(0, -2)}`, now), /not valid/);
  // A token without a session id (the stateless tokens before sessions could end) is refused, even if signed.
  const old = Buffer.from(JSON.stringify({ u: 'alice', exp: 9e9, kid: keys.sessionKeyId })).toString('base64url');
  const oldSignature = createHmac('sha256', keys.sessionKey).update(old).digest('base64url');
  unauthorized(() => verifyAccessToken(keys, `${old}.${oldSignature}`, now), /not valid/);
});

test('tokens compare in canonical form only: another spelling of the same signature bytes is refused', () => {
  const now = Date.parse('2026-11-26T10:00:00Z');
  const { token } = issueAccessToken(keys, { username: 'alice', sessionId: newSessionId() }, new Date(now + 600_000));
  const [payload, signature] = token.split('.') as [string, string];
  // 32 signature bytes take 43 base64url characters; the last one carries 2 unused bits. Setting them gives a
  // different string that Buffer.from(…, 'base64url') decodes to the very same bytes.
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const last = alphabet.indexOf(signature.at(-1)!);
  const respelled = signature.slice(0, -1) + alphabet[(last & ~3) | (~last & 3)]!;
  assert.notEqual(respelled, signature);
  assert.deepEqual(Buffer.from(respelled, 'base64url'), Buffer.from(signature, 'base64url'));
  unauthorized(() => verifyAccessToken(keys, `${payload}.${respelled}`, now), /not valid/);
  unauthorized(() => verifyAccessToken(keys, `${payload}.${signature}=`, now), /not valid/);

  const refresh = issueRefreshToken({ username: 'alice.b', sessionId: newSessionId() });
  assert.equal(parseRefreshToken(refresh.token).hash, refresh.hash);
  assert.equal(parseRefreshToken(refresh.token).username, 'alice.b');
  const parts = refresh.token.split('.');
  const secretLast = alphabet.indexOf(parts[3]!.at(-1)!);
  parts[3] = parts[3]!.slice(0, -1) + alphabet[(secretLast & ~3) | (~secretLast & 3)]!;
  unauthorized(() => parseRefreshToken(parts.join('.')), /malformed/);
  unauthorized(() => parseRefreshToken(`${refresh.token}.extra`), /malformed/);
  unauthorized(() => parseRefreshToken('rt1.x.y.z'), /malformed/);
});

test('bearer header parsing', () => {
  assert.equal(bearerToken('Bearer abc.def'), 'abc.def');
  assert.equal(bearerToken('bearer abc.def'), 'abc.def');
  unauthorized(() => bearerToken(undefined));
  unauthorized(() => bearerToken('Basic abc'));
  unauthorized(() => bearerToken('Bearer'));
});

test('the webhook URL carries the credentials, and only those credentials pass', () => {
  const url = new URL(buildWebhookUrl('https://app.example.com', keys.webhookPassword, { parentCallId: 'c-1' }));
  assert.equal(url.pathname, '/api/catapult/events');
  assert.equal(url.username, 'catapult');
  assert.equal(url.password, keys.webhookPassword);
  assert.equal(url.searchParams.get('parentCallId'), 'c-1');
  const header = `Basic ${Buffer.from(`catapult:${keys.webhookPassword}`).toString('base64')}`;
  checkWebhookAuthorization(header, keys.webhookPassword);
  for (const bad of [
    undefined,
    '',
    'Basic',
    `Basic ${Buffer.from('catapult:wrong').toString('base64')}`,
    `Bearer ${keys.webhookPassword}`,
  ]) {
    assert.throws(
      () => checkWebhookAuthorization(bad, keys.webhookPassword),
      (e) => isAppError(e) && e.code === 'webhook-unauthorized',
    );
  }
});
