// The two things the dialpad asks the core for beyond calling: who the other party of a call is (the history's
// peerUsername) and whether a dial would be put through (checkDial, the router's own rules).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deriveKeys } from '../../../core/crypto/derive-keys';
import { isAppError } from '../../../core/errors';
import { MISSING_PEER_TTL_MS, PeerUsernames } from '../../../core/storage/peer-usernames';
import { checkDial } from '../../../core/users/dial-check';
import { single } from '../../support/list-items';
import { makeApp } from './support/make-app';
import { testConfig } from './support/test-config';

const AUTH = `Basic ${Buffer.from(`catapult:${deriveKeys(testConfig().appSecret).webhookPassword}`).toString('base64')}`;

describe('peer usernames in the call history', () => {
  it('names a peer who is a user, leaves other peers alone, and reads each number once while it is known', async () => {
    const reads: string[] = [];
    const clock = { now: 0 };
    const owners: Record<string, string> = { '+19195551001': 'alice' };
    const names = new PeerUsernames(
      async (number) => {
        reads.push(number);
        return owners[number];
      },
      { info() {}, warn() {}, error() {} },
      () => clock.now,
    );
    const records = [{ peer: '+19195551001' }, { peer: '+12125550143' }, { peer: '+19195551001' }, { peer: 'sip:x@y' }];
    assert.deepEqual(await names.annotate(records), [
      { peer: '+19195551001', peerUsername: 'alice' },
      { peer: '+12125550143' },
      { peer: '+19195551001', peerUsername: 'alice' },
      { peer: 'sip:x@y' },
    ]);
    assert.deepEqual(reads.sort(), ['+12125550143', '+19195551001'], 'one read per distinct number, none for SIP');

    // A number nobody had may be signed up for a moment later: the miss is read again after a few seconds.
    owners['+12125550143'] = 'carol';
    await names.annotate(records);
    assert.equal(reads.length, 2, 'within the miss TTL nothing is read again');
    clock.now += MISSING_PEER_TTL_MS + 1;
    const later = await names.annotate(records);
    assert.equal(later[1]!.peerUsername, 'carol');
    assert.deepEqual(reads.slice(2), ['+12125550143'], 'a found user is never read again');
  });

  it('returns the history without names when the users table fails, and says so in the log', async () => {
    const warnings: string[] = [];
    const names = new PeerUsernames(
      () => Promise.reject(Object.assign(new Error('down'), { code: 'storage-unavailable' })),
      { info() {}, warn: (message) => warnings.push(message), error() {} },
    );
    const records = [{ peer: '+19195551001', callId: 'c-1' }];
    assert.deepEqual(await names.annotate(records), records);
    assert.equal(warnings.length, 1);
  });

  it('GET /api/me/calls still answers when the number look-ups fail', async () => {
    const { app, tables } = makeApp();
    const alice = (await app.signUp({ username: 'alice', number: '+19195551001' })).session.user;
    const bob = (await app.signUp({ username: 'bob', number: '+19195551002' })).session.user;
    await app.handleWebhook({
      route: 'catapult',
      authorization: AUTH,
      query: {},
      body: {
        eventType: 'answer',
        callId: 'c-u2u',
        from: bob.sipUri,
        to: alice.number,
        time: new Date().toISOString(),
      },
    });
    // The user's own row still reads (listCalls needs it); the number index reads fail.
    const get = tables.users.get.bind(tables.users);
    tables.users.get = (partitionKey, rowKey) =>
      rowKey.startsWith('p:')
        ? Promise.reject(Object.assign(new Error('down'), { code: 'storage-unavailable' }))
        : get(partitionKey, rowKey);
    const call = single((await app.listCalls({ username: 'alice' })).calls);
    assert.equal(call.peer, bob.number);
    assert.equal(call.peerUsername, undefined);
  });
});

describe('checkDial (the router’s rules, asked before a call)', () => {
  const me = { number: '+19195551001' };
  const allowed = { allowedCountries: ['US', 'CA'], allowTollFree: false };

  it('allows a valid number in an allowed country, in any format people type', () => {
    for (const dialled of ['919-555-0199', '(919) 555-0199', '+1 919 555 0199', '19195550199']) {
      assert.deepEqual(checkDial(dialled, me, allowed), {
        allowed: true,
        number: '+19195550199',
        nationalNumber: '(919) 555-0199',
      });
    }
  });

  it('refuses with the router’s reasons and a message for people', () => {
    const reasons = (dialled: string) => {
      const verdict = checkDial(dialled, me, allowed);
      return verdict.allowed ? 'allowed' : `${verdict.reason}: ${verdict.message}`;
    };
    assert.equal(reasons('1-900-200-0000'), 'premium-rate: Calls to premium-rate numbers are blocked.');
    assert.equal(reasons('+44 20 7946 0958'), 'blocked-country: Calls to that country are not allowed.');
    assert.equal(reasons('12345'), 'invalid-number: Not a valid number.');
    assert.equal(reasons('(919) 555-1001'), 'self-call: That is your own number.');
    assert.equal(
      reasons('(500) 234-5678'),
      'number-type-not-allowed: Calls to this kind of number (personal, VoIP, pager…) are not allowed.',
    );
    assert.equal(reasons('1-800-555-0199'), 'toll-free-not-allowed: Calls to toll-free numbers are not allowed.');
    assert.equal(checkDial('1-800-555-0199', me, { ...allowed, allowTollFree: true }).allowed, true, 'DIAL_TOLL_FREE');
    assert.equal(
      checkDial('+44 20 7946 0958', me, { ...allowed, allowedCountries: ['US', 'GB'] }).allowed,
      true,
      'ALLOWED_DIAL_COUNTRIES decides',
    );
  });

  it('answers invalid-number without a number to check', () => {
    for (const missing of [undefined, '', '   ', 'x'.repeat(41)]) {
      assert.throws(
        () => checkDial(missing, me, allowed),
        (error) => isAppError(error) && error.code === 'invalid-number' && error.field === 'number',
      );
    }
  });

  it('is what GET /api/me/dial-check answers for the signed-in user', async () => {
    const { app } = makeApp();
    await app.signUp({ username: 'alice', number: '+19195551001' });
    assert.deepEqual(await app.checkDial({ username: 'alice' }, '919 555 1001'), {
      allowed: false,
      reason: 'self-call',
      message: 'That is your own number.',
    });
  });
});
