import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bearerToken, issueSessionToken, verifySessionToken } from '../../../core/auth/session-tokens';
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

test('session tokens verify, expire, and are bound to the key', () => {
  const now = Date.parse('2026-11-26T10:00:00Z');
  const issued = issueSessionToken(keys, 'alice', 2, now);
  assert.equal(issued.expiresAt.toISOString(), '2026-11-26T12:00:00.000Z');
  assert.equal(verifySessionToken(keys, issued.token, now + 3600_000), 'alice');
  unauthorized(() => verifySessionToken(keys, issued.token, now + 2 * 3600_000), /expired/);
  unauthorized(() => verifySessionToken(otherKeys, issued.token, now), /not valid/);
  unauthorized(() => verifySessionToken(keys, 'garbage', now), /malformed/);
  const [payload, signature] = issued.token.split('.');
  assert.ok(payload && signature, 'a token is <payload>.<signature>');
  const forged = Buffer.from(JSON.stringify({ u: 'mallory', exp: 9e9, kid: keys.sessionKeyId })).toString('base64url');
  unauthorized(() => verifySessionToken(keys, `${forged}.${signature}`, now), /not valid/);
  unauthorized(() => verifySessionToken(keys, `${payload}.${signature.slice(0, -2)}`, now), /not valid/);
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
