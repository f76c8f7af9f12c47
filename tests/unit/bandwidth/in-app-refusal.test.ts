// The whole core on Bandwidth, from the configuration on: a dialpad (In-App Calling) call that carries no caller
// token is known by its `from` — the account's In-App number, BANDWIDTH_IN_APP_NUMBERS — and is hung up and
// recorded whatever it dials, another user's number included; the same call from an outside phone rings the user.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CallNotification } from '../../../core/api-types';
import { loadConfig } from '../../../core/config';
import { createVoiceApp } from '../../../core/create-voice-app';
import { deriveKeys } from '../../../core/crypto/derive-keys';
import { BANDWIDTH_WEBHOOK_USERNAME } from '../../../core/providers/bandwidth/bandwidth-provider';
import { createMemoryTables, storesFromTables } from '../../../core/storage/stores';
import { BANDWIDTH_ENV } from '../core/support/bandwidth-env';
import { initiate, PSTN } from './callbacks';

const ALICE_NUMBER = '+19195550111';
const OUTSIDE = '+12125550177';

async function setup() {
  const result = loadConfig(BANDWIDTH_ENV);
  assert.ok(result.ok && result.config.provider === 'bandwidth');
  const inAppNumber = result.config.bandwidth.inAppNumbers[0]!;
  const tables = createMemoryTables();
  const notified: Array<[string, CallNotification]> = [];
  const app = createVoiceApp({
    config: result.config,
    tables,
    now: () => Date.parse('2026-11-26T10:00:00Z'),
    sweepIntervalMs: 0,
    bandwidth: { fetch: () => Promise.reject(new Error('no request may leave this test')) },
    notifier: {
      send: async (username, message) => void notified.push([username, message]),
      clientAccess: () => Promise.reject(new Error('not used')),
    },
  });
  await storesFromTables(tables).users.create({
    username: 'alice',
    number: ALICE_NUMBER,
    nationalNumber: '9195550111',
    numberId: 'order-1',
    createdAt: '2026-11-26T09:00:00Z',
  });
  const password = deriveKeys(BANDWIDTH_ENV.APP_SECRET!).webhookPassword;
  const send = (body: unknown) =>
    app.handleWebhook({
      route: 'bandwidth',
      authorization: `Basic ${Buffer.from(`${BANDWIDTH_WEBHOOK_USERNAME}:${password}`).toString('base64')}`,
      query: {},
      body,
    });
  const claimReason = async (callId: string) =>
    (await tables.calls.get<{ reason?: string }>(`claim:${callId}`, 'route'))?.reason;
  return { app, inAppNumber, send, claimReason, notified };
}

test('a tokenless call from the In-App number is hung up and recorded, to another user or to the network', async () => {
  const { inAppNumber, send, claimReason, notified } = await setup();
  for (const [callId, to] of [
    ['c-anon-user', ALICE_NUMBER],
    ['c-anon-out', OUTSIDE],
  ] as const) {
    const reply = await send(initiate(callId, inAppNumber, to));
    assert.match(reply.body ?? '', /<Hangup\s*\/>/, to);
    assert.doesNotMatch(reply.body ?? '', /<Ring|<Transfer|<Bridge/, to);
    assert.equal(await claimReason(callId), 'invalid-caller-token', `the refusal of ${to} is recorded`);
  }
  assert.deepEqual(notified, [], 'alice was never rung');
});

test('the same tokenless call from an outside phone rings the user: only the In-App number marks a dialpad', async () => {
  const { send, claimReason, notified } = await setup();
  const reply = await send(initiate('c-pstn', PSTN, ALICE_NUMBER));
  assert.match(reply.body ?? '', /<Ring/);
  assert.equal(await claimReason('c-pstn'), undefined);
  assert.deepEqual(
    notified.map(([username, message]) => [username, message.type]),
    [['alice', 'incoming-call']],
  );
});
