// The dialpad's phone on Bandwidth In-App Calling, against a fake JsSIP UA and a fake notification socket:
// what it sends (Bearer on REGISTER and INVITE, the caller or pickup token in User-to-User), when it is ready,
// how an announced call rings, is answered, declined or missed, and how it recovers when things fail.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { createPhone } from '../../../../web/src/phone/create-phone';
import type { Phone } from '../../../../web/src/phone/phone';
import {
  bandwidthToken,
  fakeApi,
  fakeRuntime,
  FakeSession,
  FakeUA,
  FakeWebSocket,
  settle,
  type FakeApi,
} from './fakes';

const BEARER = (n: number) => `Authorization: Bearer iac-${n}`;

describe('phone on Bandwidth In-App Calling', () => {
  let api: FakeApi;
  let phone: Phone;
  const ua = () => FakeUA.instances[0]!;
  const socket = () => FakeWebSocket.instances.at(-1)!;

  async function startReady(): Promise<void> {
    api.nextTokens.push(bandwidthToken(1));
    await phone.start();
    await settle();
    ua().connectAndRegister();
    socket().open();
  }
  function announce(callId = 'park-1', expiresInMs = 60_000) {
    socket().deliver({
      type: 'incoming-call',
      callId,
      from: '+12125550143',
      pickupToken: `pickup-${callId}`,
      expiresAt: new Date(Date.now() + expiresInMs).toISOString(),
    });
  }

  beforeEach(() => {
    mock.timers.enable({ apis: ['setTimeout', 'Date'], now: Date.parse('2026-11-26T10:00:00Z') });
    api = fakeApi();
    phone = createPhone(api.options, fakeRuntime());
  });
  afterEach(() => {
    phone.stop();
    mock.timers.reset();
  });

  it('registers on the gateway URL as the user with the Bearer token, as Bandwidth’s SDK does', async () => {
    api.nextTokens.push(bandwidthToken(1));
    await phone.start();
    assert.equal(ua().config.sockets[0]!.url, 'wss://gw.example.test:10081');
    assert.equal(ua().config.uri, 'sip:alice@gw.example.test');
    assert.deepEqual(ua().registerHeaders, [BEARER(1)]);
    assert.equal(ua().started, true);
    ua().connectAndRegister();
    assert.deepEqual(ua().registers, [[BEARER(1)]], 'REGISTER on connected, with the token');
  });

  it('is ready only when both the gateway registration and the incoming-call channel are up', async () => {
    api.nextTokens.push(bandwidthToken(1));
    await phone.start();
    await settle();
    assert.equal(api.negotiations, 1);
    assert.match(socket().url, /access_token=n1$/);
    ua().connectAndRegister();
    assert.equal(phone.state.registration, 'connecting');
    assert.match(phone.state.registrationError ?? '', /incoming calls/);
    socket().open();
    assert.equal(phone.state.registration, 'registered');
    ua().emit('disconnected');
    assert.equal(phone.state.registration, 'connecting');
  });

  it('places a call with the Bearer token and the caller token in User-to-User', async () => {
    await startReady();
    phone.call('+19195550199');
    const invite = ua().calls[0]!;
    assert.equal(invite.target, 'sip:+19195550199@gw.example.test');
    assert.deepEqual(invite.options.extraHeaders, [BEARER(1), 'User-to-User: caller-1;encoding=jwt']);
    assert.equal(phone.state.call?.state, 'dialing');
    invite.emit('progress');
    assert.equal(phone.state.call?.state, 'ringing');
    invite.emit('confirmed');
    assert.equal(phone.state.call?.state, 'active');
    assert.throws(() => phone.call('+19195550100'), /Hang up the current call first/);
    phone.hangUp();
    assert.equal(phone.state.call?.state, 'ended');
  });

  it('refreshes before the earlier of the two expiries, re-registers and calls with the new caller token', async () => {
    api.nextTokens.push(bandwidthToken(1, 3_600_000, 600_000));
    await phone.start();
    await settle();
    ua().connectAndRegister();
    socket().open();
    api.nextTokens.push(bandwidthToken(2));
    mock.timers.tick(539_999); // the caller token lives 10 minutes: refreshed a minute before
    assert.equal(api.tokens.length, 1);
    mock.timers.tick(1);
    await settle();
    assert.equal(api.tokens.length, 2);
    assert.deepEqual(ua().registerHeaders, [BEARER(2)]);
    assert.deepEqual(ua().registers.at(-1), [BEARER(2)], 're-REGISTER with the new token');
    phone.call('+19195550199');
    assert.deepEqual(ua().calls[0]!.options.extraHeaders, [BEARER(2), 'User-to-User: caller-2;encoding=jwt']);
  });

  it('keeps its registration when a refresh fails and tries again 10 s later', async () => {
    await startReady();
    api.nextTokens.push(new Error('network-error'), bandwidthToken(2));
    mock.timers.tick(540_000);
    await settle();
    assert.equal(phone.state.registration, 'registered');
    assert.deepEqual(ua().registerHeaders, [BEARER(1)]);
    mock.timers.tick(10_000);
    await settle();
    assert.deepEqual(ua().registerHeaders, [BEARER(2)]);
  });

  it('rings on an announced call and answers it by calling its own number with the pickup token', async () => {
    await startReady();
    announce('park-1');
    assert.deepEqual(
      { id: phone.state.call?.id, state: phone.state.call?.state, peer: phone.state.call?.peer },
      { id: 'park-1', state: 'incoming', peer: '+12125550143' },
    );
    phone.answer();
    const pickup = ua().calls[0]!;
    assert.equal(pickup.target, 'sip:+19195550101@gw.example.test');
    assert.deepEqual(pickup.options.extraHeaders, [BEARER(1), 'User-to-User: pickup-park-1;encoding=jwt']);
    assert.equal(phone.state.call?.state, 'answering');
    assert.equal(phone.state.call?.id, 'park-1', 'the pickup becomes the announced call');
    assert.equal(phone.state.call?.direction, 'inbound');
    pickup.emit('confirmed');
    assert.equal(phone.state.call?.state, 'active');
    phone.answer(); // a second click does nothing
    assert.equal(ua().calls.length, 1);
  });

  it('declines an announced call through the API, and still ends it here when the API call fails', async () => {
    await startReady();
    announce('park-2');
    phone.decline();
    assert.deepEqual(api.declined, ['park-2']);
    assert.equal(phone.state.call?.state, 'ended');
    assert.equal(phone.state.call?.endReason, 'Call declined');
    assert.equal(ua().calls.length, 0, 'no SIP call for a decline');

    api.declineFails = true;
    announce('park-3');
    phone.decline();
    await settle();
    assert.deepEqual(api.declined, ['park-2', 'park-3']);
    assert.equal(phone.state.call?.endReason, 'Call declined');
  });

  it('dismisses an announced call when the caller hangs up, or when its pickup token runs out', async () => {
    await startReady();
    announce('park-4');
    socket().deliver({ type: 'call-ended', callId: 'other' });
    assert.equal(phone.state.call?.state, 'incoming', 'another call’s end changes nothing');
    socket().deliver({ type: 'call-ended', callId: 'park-4' });
    assert.equal(phone.state.call?.state, 'ended');
    assert.equal(phone.state.call?.endReason, 'Missed call');

    announce('park-5', 30_000);
    mock.timers.tick(29_999);
    assert.equal(phone.state.call?.state, 'incoming');
    mock.timers.tick(1);
    assert.equal(phone.state.call?.endReason, 'Missed call');
    phone.answer();
    assert.equal(ua().calls.length, 0, 'a missed call cannot be answered');
  });

  it('ignores calls announced while busy or already expired, and garbage on the channel', async () => {
    await startReady();
    phone.call('+19195550199');
    announce('park-6');
    assert.equal(phone.state.call?.direction, 'outbound', 'the call in progress stays');
    phone.hangUp();
    announce('park-7', -1);
    socket().deliver('not json');
    socket().deliver({ type: 'incoming-call', callId: 'park-8' }); // no pickup token
    socket().deliver({ type: 'something-new', callId: 'x' });
    assert.equal(phone.state.call?.state, 'ended');
    assert.equal(phone.state.call?.direction, 'outbound');
  });

  it('refuses calls that arrive over SIP: on Bandwidth they are announced, never delivered', async () => {
    await startReady();
    const invite = new FakeSession('sip:alice@gw.example.test');
    ua().receive(invite);
    assert.deepEqual(invite.terminatedWith, { status_code: 480, reason_phrase: 'Temporarily Unavailable' });
    assert.equal(phone.state.call, undefined);
  });

  it('reconnects a dropped channel with a fresh negotiation, backing off while negotiation fails', async () => {
    await startReady();
    api.nextNegotiations.push(new Error('network-error'), new Error('network-error'));
    socket().drop();
    assert.equal(phone.state.registration, 'connecting');
    mock.timers.tick(1_000); // first retry within 0.8–1 s
    await settle();
    assert.equal(api.negotiations, 2);
    mock.timers.tick(2_000); // then 1.6–2 s
    await settle();
    assert.equal(api.negotiations, 3);
    assert.equal(FakeWebSocket.instances.length, 1, 'no socket while negotiation fails');
    mock.timers.tick(4_000); // then 3.2–4 s: negotiation works
    await settle();
    assert.equal(api.negotiations, 4);
    assert.match(socket().url, /access_token=n4$/);
    socket().open();
    assert.equal(phone.state.registration, 'registered');
    announce('park-9');
    assert.equal(phone.state.call?.state, 'incoming', 'calls are announced on the new connection');
  });

  it('stops everything on stop(): the UA, the channel, and no reconnection', async () => {
    await startReady();
    phone.stop();
    assert.equal(ua().stopped, true);
    assert.equal(socket().closed, true);
    assert.equal(phone.state.registration, 'offline');
    mock.timers.tick(60_000);
    await settle();
    assert.equal(api.negotiations, 1);
  });
});
