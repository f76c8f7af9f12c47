// The webhook's order of checks, through the real function and the real core (in-memory tables, fake
// Catapult): the credentials are checked before the body is looked at, so a sender without them learns
// nothing about what we accept (401 whatever it sends), and only an authenticated sender gets a 400.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deriveKeys } from '../../../core/crypto/derive-keys';
import { catapultEventsReceive } from '../../../functions/catapult-events-receive';
import { invoke } from '../../support/functions-harness';
import { makeApp } from '../core/support/make-app';
import { testConfig } from '../core/support/test-config';

const keys = deriveKeys(testConfig().appSecret);
const basic = (userinfo: string) => `Basic ${Buffer.from(userinfo).toString('base64')}`;
const GOOD = basic(`catapult:${keys.webhookPassword}`);
const WRONG = basic('catapult:not-the-password');

const errorCode = (json: unknown) => (json as { error?: { code?: string } } | undefined)?.error?.code;

describe('catapult-events-receive with the real core: credentials before the body', () => {
  const post = (body: string, authorization?: string) => {
    const { app, catapult } = makeApp();
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (authorization) headers.authorization = authorization;
    return invoke(catapultEventsReceive, app, { method: 'POST', path: '/api/catapult/events', headers, body }).then(
      (res) => ({ ...res, catapult }),
    );
  };

  for (const [what, body] of [
    ['not JSON', 'x'],
    ['a JSON array', '[1]'],
    ['an event without fields', '{}'],
    ['an answer event', JSON.stringify({ eventType: 'answer', callId: 'c-1', from: '+13233326955', to: '+1' })],
  ] as const) {
    it(`${what} without credentials, or with wrong ones: 401 webhook-unauthorized, nothing done`, async () => {
      for (const authorization of [undefined, WRONG]) {
        const res = await post(body, authorization);
        assert.equal(res.status, 401, `${what}, ${authorization ? 'wrong' : 'no'} credentials`);
        assert.equal(errorCode(res.json), 'webhook-unauthorized');
        assert.deepEqual([res.catapult.log.length, res.catapult.hungUp.length], [0, 0], 'no Catapult request');
      }
    });
  }

  it('a body that is not an event, with the credentials: 400 invalid-json', async () => {
    for (const body of ['x', '[1]', '{}']) {
      const res = await post(body, GOOD);
      assert.equal(res.status, 400, body);
      assert.equal(errorCode(res.json), 'invalid-json', body);
    }
  });

  it('a GET without credentials is 401 too (events may come as query parameters)', async () => {
    const { app } = makeApp();
    const res = await invoke(catapultEventsReceive, app, { method: 'GET', path: '/api/catapult/events?x=1' });
    assert.equal(res.status, 401);
    assert.equal(errorCode(res.json), 'webhook-unauthorized');
  });
});
