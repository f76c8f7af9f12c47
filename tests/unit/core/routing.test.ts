// Route decisions on event payloads shaped like Catapult's recorded samples (docs/contracts/catapult-v1.md §12.2, §18).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCallEvent } from '../../../core/providers/catapult/parse-event';
import type { ProviderUser } from '../../../core/provider/voice-provider';
import { calledNumber, decideRoute, type RoutingUser } from '../../../core/routing/route-decision';
import { normalizeSipUri } from '../../../core/routing/sip-uri';
import { isAppError } from '../../../core/errors';

const REALM = 'voiceref-ab12cd34.bwapp.bwsip.io';
// Users as the handler looks them up: with their calling identity, which must never reach a decision.
const alice = { username: 'alice', number: '+19195551001', sipUri: `sip:alice@${REALM}` } satisfies ProviderUser;
const bob = { username: 'bob', number: '+19195551002', sipUri: `sip:bob@${REALM}` } satisfies ProviderUser;
const who = (user: ProviderUser): RoutingUser => ({ username: user.username, number: user.number });
const US_CA = ['US', 'CA'];

// An `answer` for an inbound PSTN call (apiCallbacks/answer.md shape).
const inboundAnswer = {
  eventType: 'answer',
  from: '+13233326955',
  to: '+19195551001',
  callId: 'c-xvjxfa2qgxgavlw5fycimtq',
  callUri: 'https://api.catapult.inetwork.com/v1/users/u-abc/calls/c-xvjxfa2qgxgavlw5fycimtq',
  callState: 'active',
  time: '2013-02-13T17:46:08.374Z',
  diversion: {
    origTo: '+19195551001',
    reason: 'unconditional',
    screen: 'no',
    privacy: 'off',
    counter: '1',
    limit: '3',
  },
};
// An `answer` for a call placed by a registered browser endpoint.
const outboundAnswer = {
  eventType: 'answer',
  from: `sip:alice@${REALM}`,
  to: '+19195550123',
  callId: 'c-m6dz5lqurhhxnn7is6v3w4y',
  callUri: 'https://api.catapult.inetwork.com/v1/users/u-abc/calls/c-m6dz5lqurhhxnn7is6v3w4y',
  callState: 'active',
  time: '2026-11-26T10:00:00.000Z',
};

test('events parse with unknown fields ignored; bad ones are refused', () => {
  const event = parseCallEvent(inboundAnswer);
  assert.equal(event.eventType, 'answer');
  assert.equal(event.callId, inboundAnswer.callId);
  assert.equal(event.from, '+13233326955');
  for (const bad of [
    null,
    [],
    'x',
    { eventType: 'answer' },
    { eventType: 'answer', callId: 'c-1/../x' },
    { callId: 'c-1' },
  ]) {
    assert.throws(
      () => parseCallEvent(bad),
      (e) => isAppError(e) && e.code === 'invalid-json',
    );
  }
});

test('SIP URIs are compared normalised: scheme, case, display name, port, parameters', () => {
  for (const form of [
    `sip:alice@${REALM}`,
    `SIP:Alice@${REALM.toUpperCase()}`,
    `<sip:alice@${REALM}>;tag=1`,
    `"Alice" <sip:alice@${REALM}:5060;transport=ws>`,
    `alice@${REALM}`,
    `sips:alice@${REALM}?X-a=b`,
  ]) {
    assert.equal(normalizeSipUri(form)?.uri, `sip:alice@${REALM}`, form);
  }
  assert.equal(normalizeSipUri('+19195551212'), undefined);
  assert.equal(normalizeSipUri('sip:@host'), undefined);
});

test('the called number is found in E.164, SIP and national forms', () => {
  assert.equal(calledNumber('+19195551001'), '+19195551001');
  assert.equal(calledNumber('9195551001'), '+19195551001');
  assert.equal(calledNumber(`sip:+19195551001@${REALM}`), '+19195551001');
  assert.equal(calledNumber(`sip:bob@${REALM}`), undefined);
});

test('PSTN → a user number: connect the user (who, not a SIP address) with the caller as caller id', () => {
  const event = parseCallEvent(inboundAnswer);
  const decision = decideRoute({ from: event.from, to: event.to, calledUser: alice, allowedCountries: US_CA });
  assert.deepEqual(decision, {
    action: 'connect',
    user: who(alice),
    callerId: '+13233326955',
    history: [{ username: 'alice', direction: 'inbound', peer: '+13233326955' }],
  });
});

test('user → another user number: caller id is the calling user number, both histories get it', () => {
  const decision = decideRoute({
    from: bob.sipUri,
    to: alice.number,
    calledUser: alice,
    callingUser: bob,
    allowedCountries: US_CA,
  });
  assert.equal(decision.action, 'connect');
  assert.ok(decision.action === 'connect' && decision.callerId === bob.number);
  assert.deepEqual(decision.user, who(alice));
  assert.deepEqual(decision.caller, who(bob));
  assert.deepEqual(decision.history, [
    { username: 'alice', direction: 'inbound', peer: bob.number },
    { username: 'bob', direction: 'outbound', peer: alice.number },
  ]);
});

test('endpoint → PSTN: the dialled number is normalised and the user number is the caller id', () => {
  for (const to of [
    '+19195550123',
    '9195550123',
    '(919) 555-0123',
    `sip:9195550123@${REALM}`,
    `sip:+19195550123@${REALM};user=phone`,
  ]) {
    const decision = decideRoute({ from: outboundAnswer.from, to, callingUser: alice, allowedCountries: US_CA });
    assert.deepEqual(
      decision,
      {
        action: 'dial',
        number: '+19195550123',
        callerId: alice.number,
        caller: who(alice),
        history: [{ username: 'alice', direction: 'outbound', peer: '+19195550123' }],
      },
      to,
    );
  }
});

test('toll-fraud and unknown parties are hung up with a reason', () => {
  const from = outboundAnswer.from;
  const reason = (facts: Parameters<typeof decideRoute>[0]) => {
    const d = decideRoute(facts);
    return d.action === 'refuse' ? d.reason : 'routed';
  };
  assert.equal(reason({ from, to: '+19002001234', callingUser: alice, allowedCountries: US_CA }), 'premium-rate');
  assert.equal(reason({ from, to: '+442079460000', callingUser: alice, allowedCountries: US_CA }), 'blocked-country');
  assert.equal(reason({ from, to: '123', callingUser: alice, allowedCountries: US_CA }), 'invalid-number');
  assert.equal(reason({ from, to: `sip:bob@${REALM}`, callingUser: alice, allowedCountries: US_CA }), 'sip-target');
  assert.equal(
    reason({ from, to: 'sip:someone@evil.example', callingUser: alice, allowedCountries: US_CA }),
    'sip-target',
  );
  assert.equal(
    reason({ from, to: alice.number, calledUser: alice, callingUser: alice, allowedCountries: US_CA }),
    'self-call',
  );
  assert.equal(
    reason({ from: 'sip:mallory@other.bwapp.bwsip.io', to: '+19195550123', allowedCountries: US_CA }),
    'unknown-endpoint',
  );
  assert.equal(reason({ from: '+13233326955', to: '+19195559999', allowedCountries: US_CA }), 'unknown-number');
  const blocked = decideRoute({ from, to: '+19002001234', callingUser: alice, allowedCountries: US_CA });
  assert.deepEqual(blocked.history, [{ username: 'alice', direction: 'outbound', peer: '+19002001234' }]);
});
