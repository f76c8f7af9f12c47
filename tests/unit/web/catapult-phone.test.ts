// The dialpad's phone on Catapult against a fake UA (tests/unit/web/support/fake-jssip.ts) and mocked timers:
// Catapult token auth on every request, registration and its retries, token refresh, both call directions,
// busy and decline answers, mute, in-band DTMF, remote audio, and a stop that leaves nothing running.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import type { WebRtcTokenView } from '../../../core/api-types';
import { createPhone } from '../../../web/src/phone/create-phone';
import { PhoneError, type Phone, type PhoneOptions } from '../../../web/src/phone/phone';
import { itemAt, single } from '../../support/list-items';
import { createFakeJsSip, fakeAudioElement, FakePeerConnection, type FakeUa } from './support/fake-jssip';

const HOUR_MS = 3_600_000;
const ICE_SERVERS = [{ urls: 'stun:stun.example.invalid' }];
const token = (value: string): WebRtcTokenView => ({
  provider: 'catapult',
  token: value,
  expiresAt: new Date(Date.now() + HOUR_MS).toISOString(),
  sipUri: 'sip:alice@app-1.bwapp.bwsip.io',
  websocketUrl: 'wss://sip.example.invalid:10443',
  headerName: 'X-Callsign-Token',
});
/** What a Catapult phone never uses: Bandwidth's notification channel and decline. */
const BANDWIDTH_ONLY: Pick<PhoneOptions, 'negotiateNotifications' | 'declineCall' | 'user'> = {
  negotiateNotifications: () => Promise.reject(new Error('not on Catapult')),
  declineCall: () => Promise.reject(new Error('not on Catapult')),
  user: { username: 'alice', number: '+19195550101' },
};
class NoWebSocket {
  constructor() {
    throw new Error('a Catapult phone opens no notification channel');
  }
}
/** Lets pending promise callbacks run (the phone awaits fetchToken). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

function setup(tokens: Array<WebRtcTokenView | Error> = []) {
  const { library, uas } = createFakeJsSip();
  const remoteAudio = fakeAudioElement();
  let fetches = 0;
  const fetchToken = async () => {
    const next = tokens[fetches] ?? token(`tk${fetches + 1}`);
    fetches += 1;
    if (next instanceof Error) throw next;
    return next;
  };
  const phone = createPhone(
    { fetchToken, remoteAudio, iceServers: ICE_SERVERS, ...BANDWIDTH_ONLY },
    { JsSIP: library, WebSocket: NoWebSocket as unknown as typeof WebSocket },
  );
  const ua = () => single(uas, 'UA');
  return { phone, uas, ua, remoteAudio, fetches: () => fetches };
}

async function registered(tokens?: Array<WebRtcTokenView | Error>) {
  const t = setup(tokens);
  await t.phone.start();
  t.ua().connect();
  t.ua().emit('registered', {});
  assert.equal(t.phone.state.registration, 'registered');
  return t;
}

function rejectsWith(phone: Phone, target: string, code: PhoneError['code']) {
  assert.throws(
    () => phone.call(target),
    (error) => error instanceof PhoneError && error.code === code,
  );
}

const lastHeaders = (ua: FakeUa) => itemAt(ua.registerHeaders, -1, 'registrator header set');

describe('JsSIP phone', () => {
  beforeEach(() =>
    mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'], now: Date.parse('2026-11-26T10:00:00Z') }),
  );
  afterEach(() => mock.timers.reset());

  it('starts one UA on the token’s WebSocket with no password, the token on REGISTER, registering once connected', async () => {
    const t = setup();
    await t.phone.start();
    const ua = t.ua();
    assert.equal(ua.config.uri, 'sip:alice@app-1.bwapp.bwsip.io');
    assert.deepEqual(
      ua.config.sockets.map((socket) => socket.url),
      ['wss://sip.example.invalid:10443'],
    );
    assert.equal(ua.config.password, undefined, 'token auth: no SIP password');
    assert.deepEqual([ua.config.register, ua.config.session_timers], [false, false]);
    assert.deepEqual(lastHeaders(ua), ['X-Callsign-Token: tk1']);
    assert.deepEqual([ua.started, ua.registers, t.phone.state.registration], [true, 0, 'connecting']);
    ua.connect();
    assert.equal(ua.registers, 1, 'registers when the socket is up, after the header is set');
    ua.emit('registered', {});
    assert.equal(t.phone.state.registration, 'registered');
    await t.phone.start();
    assert.equal(t.uas.length, 1, 'a second start() starts nothing');
  });

  it('without a token (API down) says so and tries again every 10 s', async () => {
    const t = setup([new Error('503'), new Error('503')]);
    await t.phone.start();
    assert.equal(t.phone.state.registration, 'failed');
    assert.match(t.phone.state.registrationError ?? '', /Retrying/);
    assert.equal(t.uas.length, 0);
    mock.timers.tick(10_000);
    await settle();
    assert.deepEqual([t.fetches(), t.uas.length], [2, 0]);
    mock.timers.tick(10_000);
    await settle();
    assert.deepEqual([t.fetches(), t.uas.length], [3, 1]);
  });

  it('a token of a provider this dialpad does not know starts no UA and says so, without retrying', async () => {
    // What a newer server could answer: the type says it cannot happen, the network may still send it.
    const unknown = { ...token('other'), provider: 'another-provider' } as unknown as WebRtcTokenView;
    const t = setup([unknown]);
    await t.phone.start();
    assert.equal(t.phone.state.registration, 'failed');
    assert.match(t.phone.state.registrationError ?? '', /cannot place calls/);
    mock.timers.tick(60_000);
    await settle();
    assert.deepEqual([t.fetches(), t.uas.length], [1, 0]);
  });

  it('a refresh that names another provider keeps the registration and tries again 10 s later', async () => {
    const bandwidth: WebRtcTokenView = {
      provider: 'bandwidth',
      token: 'in-app',
      expiresAt: new Date(Date.now() + HOUR_MS).toISOString(),
      websocketUrl: 'wss://gw.example.invalid:10081',
      sipDomain: 'gw.example.invalid',
      callerToken: 'caller',
      callerTokenExpiresAt: new Date(Date.now() + HOUR_MS).toISOString(),
      authorizationHeader: 'Authorization',
    };
    const t = await registered([token('tk1'), bandwidth]);
    const registersBefore = t.ua().registers;
    mock.timers.tick(HOUR_MS - 60_000);
    await settle();
    assert.equal(t.fetches(), 2);
    assert.deepEqual(lastHeaders(t.ua()), ['X-Callsign-Token: tk1'], 'the Catapult token stays');
    assert.deepEqual([t.ua().registers, t.phone.state.registration], [registersBefore, 'registered']);
    mock.timers.tick(10_000);
    await settle();
    assert.equal(t.fetches(), 3);
    assert.deepEqual(lastHeaders(t.ua()), ['X-Callsign-Token: tk3']);
    assert.equal(t.uas.length, 1);
  });

  it('refreshes the token before it expires and registers again with it, twice (JsSIP skips one during its own refresh)', async () => {
    const t = await registered();
    const ua = t.ua();
    const registersBefore = ua.registers;
    mock.timers.tick(HOUR_MS - 60_000 - 1);
    await settle();
    assert.equal(t.fetches(), 1, 'not yet');
    mock.timers.tick(1);
    await settle();
    assert.equal(t.fetches(), 2);
    assert.deepEqual(lastHeaders(ua), ['X-Callsign-Token: tk2']);
    assert.equal(ua.registers, registersBefore + 1);
    mock.timers.tick(2_000);
    assert.equal(ua.registers, registersBefore + 2);
  });

  it('a rejected registration shows the cause and fetches a new token 10 s later', async () => {
    const t = await registered();
    t.ua().emit('registrationFailed', { cause: 'Forbidden' });
    assert.deepEqual(
      [t.phone.state.registration, t.phone.state.registrationError],
      ['failed', 'Registration failed: Forbidden'],
    );
    mock.timers.tick(10_000);
    await settle();
    assert.equal(t.fetches(), 2);
    assert.deepEqual(lastHeaders(t.ua()), ['X-Callsign-Token: tk2']);
  });

  it('refuses a call before registration, to a target that is not a number, and during another call', async () => {
    const t = setup();
    await t.phone.start();
    rejectsWith(t.phone, '+19195550100', 'not-registered');
    t.ua().connect();
    t.ua().emit('registered', {});
    rejectsWith(t.phone, 'sip:bob@elsewhere.example', 'invalid-target');
    rejectsWith(t.phone, '', 'invalid-target');
    t.phone.call('+19195550100');
    rejectsWith(t.phone, '+19195550101', 'busy');
    assert.equal(t.ua().outgoing.length, 1);
  });

  it('an outgoing call carries the token, audio only and the ICE servers, and follows progress → confirmed → ended', async () => {
    const t = await registered();
    t.phone.call('+19195550100');
    const { target, options, session } = single(t.ua().outgoing, 'outgoing call');
    assert.equal(target, '+19195550100');
    assert.deepEqual(options.extraHeaders, ['X-Callsign-Token: tk1']);
    assert.deepEqual(options.mediaConstraints, { audio: true, video: false });
    assert.deepEqual(options.pcConfig, { iceServers: ICE_SERVERS });
    assert.deepEqual(
      [t.phone.state.call?.direction, t.phone.state.call?.state, t.phone.state.call?.peer],
      ['outbound', 'dialing', '+19195550100'],
    );
    session.emit('progress', {});
    assert.equal(t.phone.state.call?.state, 'ringing');
    session.emit('confirmed', {});
    assert.equal(t.phone.state.call?.state, 'active');
    assert.equal(t.phone.state.call?.answeredAt, Date.now());
    session.emit('ended', { cause: 'Terminated', originator: 'remote' });
    assert.deepEqual([t.phone.state.call?.state, t.phone.state.call?.outcome], ['ended', 'remote-hung-up']);
    t.phone.call('+19195550101'); // the line is free again
    assert.equal(t.ua().outgoing.length, 2);
  });

  it('plays the remote audio track and caps ICE gathering at 1 s', async () => {
    const t = await registered();
    t.phone.call('+19195550100');
    const { options, session } = single(t.ua().outgoing);
    const connection = new FakePeerConnection();
    options.eventHandlers.peerconnection({ peerconnection: connection });
    const stream = { id: 'remote-stream' };
    connection.fireTrack('video', { id: 'ignored' });
    assert.equal(t.remoteAudio.srcObject, null, 'only audio plays');
    connection.fireTrack('audio', stream);
    assert.equal(t.remoteAudio.srcObject, stream);
    assert.equal(t.remoteAudio.plays, 1);
    let ready = 0;
    session.emit('icecandidate', { ready: () => (ready += 1) });
    mock.timers.tick(999);
    assert.equal(ready, 0);
    mock.timers.tick(1);
    assert.equal(ready, 1);
    session.emit('failed', { cause: 'Busy', originator: 'remote' });
    assert.deepEqual([t.phone.state.call?.outcome, t.remoteAudio.srcObject], ['busy', null]);
  });

  it('an incoming call rings with the caller; answer carries the token', async () => {
    const t = await registered();
    t.ua().emit('newRTCSession', { originator: 'local', session: {} }); // our own outgoing: set up in call()
    assert.equal(t.phone.state.call?.id, undefined);
    const incoming = t.ua().ring('+13233326955');
    assert.deepEqual(
      [t.phone.state.call?.direction, t.phone.state.call?.state, t.phone.state.call?.peer],
      ['inbound', 'incoming', '+13233326955'],
    );
    t.phone.answer();
    assert.deepEqual(incoming.made('answer'), [
      [
        {
          extraHeaders: ['X-Callsign-Token: tk1'],
          mediaConstraints: { audio: true, video: false },
          pcConfig: { iceServers: ICE_SERVERS },
        },
      ],
    ]);
    incoming.emit('confirmed', {});
    t.phone.answer(); // not incoming any more: nothing
    assert.equal(incoming.made('answer').length, 1);
    t.phone.hangUp();
    assert.deepEqual(incoming.made('terminate'), [[{ extraHeaders: ['X-Callsign-Token: tk1'] }]]);
  });

  it('a second caller during a call waits (decline: 603); a third gets 486 Busy Here', async () => {
    const t = await registered();
    const first = t.ua().ring('+13233326955');
    const second = t.ua().ring('+13125550100');
    assert.equal(t.phone.state.call?.peer, '+13233326955', 'still the first call');
    assert.deepEqual([t.phone.state.waiting?.peer, t.phone.state.waiting?.state], ['+13125550100', 'incoming']);
    const third = t.ua().ring('+14155550100');
    assert.deepEqual(third.made('terminate'), [
      [{ status_code: 486, reason_phrase: 'Busy Here', extraHeaders: ['X-Callsign-Token: tk1'] }],
    ]);
    t.phone.declineWaiting();
    assert.deepEqual(second.made('terminate'), [
      [{ status_code: 603, reason_phrase: 'Decline', extraHeaders: ['X-Callsign-Token: tk1'] }],
    ]);
    second.emit('failed', { cause: 'Rejected', originator: 'local' });
    assert.equal(t.phone.state.waiting, undefined);
    assert.deepEqual(first.made('terminate'), [], 'the current call goes on');
  });

  it('ends the current call and answers the waiting one; a waiting call rings on when the current one ends', async () => {
    const t = await registered();
    t.phone.call('+19195550100');
    const current = single(t.ua().outgoing).session;
    current.emit('confirmed', {});
    const waiting = t.ua().ring('+13125550100');
    t.phone.answerWaiting();
    assert.deepEqual(current.made('terminate'), [[{ extraHeaders: ['X-Callsign-Token: tk1'] }]]);
    assert.equal(waiting.made('answer').length, 1);
    assert.deepEqual(
      [t.phone.state.call?.peer, t.phone.state.call?.state, t.phone.state.waiting],
      ['+13125550100', 'answering', undefined],
    );
    current.emit('ended', { cause: 'Terminated', originator: 'local' });
    assert.equal(t.phone.state.call?.state, 'answering', 'the old call’s end does not end the new one');
    waiting.emit('confirmed', {});
    const next = t.ua().ring('+14155550100');
    waiting.emit('ended', { cause: 'BYE', originator: 'remote' });
    assert.deepEqual([t.phone.state.call?.peer, t.phone.state.call?.state], ['+14155550100', 'incoming']);
    t.phone.answer();
    assert.equal(next.made('answer').length, 1);
  });

  it('holds and resumes a connected call (re-INVITE with the token); the far end’s hold shows too', async () => {
    const t = await registered();
    t.phone.call('+19195550100');
    const { session } = single(t.ua().outgoing);
    session.emit('confirmed', {});
    t.phone.setHeld(true);
    assert.deepEqual(session.made('hold'), [[{ extraHeaders: ['X-Callsign-Token: tk1'] }]]);
    assert.equal(t.phone.state.call?.held, true);
    t.phone.setHeld(true);
    assert.equal(session.made('hold').length, 1, 'already held');
    t.phone.setHeld(false);
    assert.deepEqual([session.made('unhold').length, t.phone.state.call?.held], [1, false]);
    session.emit('hold', { originator: 'remote' });
    assert.equal(t.phone.state.call?.remoteHeld, true);
    session.emit('unhold', { originator: 'remote' });
    assert.equal(t.phone.state.call?.remoteHeld, false);
  });

  it('asks for the chosen microphone, and for the default one without a choice', async () => {
    const t = setup();
    let chosen: string | undefined = 'mic-2';
    const own = createFakeJsSip();
    const p = createPhone(
      { fetchToken: async () => token('tk1'), remoteAudio: t.remoteAudio, audioInput: () => chosen, ...BANDWIDTH_ONLY },
      { JsSIP: own.library, WebSocket: NoWebSocket as unknown as typeof WebSocket },
    );
    await p.start();
    const ua = single(own.uas);
    ua.connect();
    ua.emit('registered', {});
    p.call('+19195550100');
    assert.deepEqual(single(ua.outgoing).options.mediaConstraints, {
      audio: { deviceId: { exact: 'mic-2' } },
      video: false,
    });
    chosen = undefined;
    single(ua.outgoing).session.emit('ended', { cause: 'Terminated', originator: 'local' });
    p.call('+19195550100');
    assert.deepEqual(itemAt(ua.outgoing, 1).options.mediaConstraints, { audio: true, video: false });
  });

  it('declining answers 603 Decline', async () => {
    const t = await registered();
    const incoming = t.ua().ring('+13233326955');
    t.phone.decline();
    assert.deepEqual(incoming.made('terminate'), [
      [{ status_code: 603, reason_phrase: 'Decline', extraHeaders: ['X-Callsign-Token: tk1'] }],
    ]);
    incoming.emit('failed', { cause: 'Rejected', originator: 'local' });
    assert.equal(t.phone.state.call?.outcome, 'declined');
  });

  it('mutes and sends DTMF in-band only in an active call', async () => {
    const t = await registered();
    t.phone.call('+19195550100');
    const { options, session } = single(t.ua().outgoing);
    const connection = new FakePeerConnection();
    options.eventHandlers.peerconnection({ peerconnection: connection });
    t.phone.setMuted(true);
    assert.equal(t.phone.sendDtmf('1'), false, 'not yet answered');
    assert.deepEqual([session.made('mute'), connection.tones], [[], []]);
    session.emit('confirmed', {});
    t.phone.setMuted(true);
    assert.deepEqual([session.made('mute'), t.phone.state.call?.muted], [[[{ audio: true }]], true]);
    t.phone.setMuted(false);
    assert.deepEqual([session.made('unmute'), t.phone.state.call?.muted], [[[{ audio: true }]], false]);
    assert.equal(t.phone.sendDtmf('12#'), true);
    assert.deepEqual(connection.tones, [['12#', 120, 70]], 'RFC 4733 tones on the audio sender');
    // A far end that took no telephone-event: no tone is claimed as sent, and nothing throws.
    connection.canInsertDTMF = false;
    assert.equal(t.phone.sendDtmf('3'), false);
    assert.deepEqual(connection.tones, [['12#', 120, 70]]);
  });

  it('stop hangs up, stops the UA, goes offline, and nothing runs afterwards', async () => {
    const t = await registered();
    t.phone.call('+19195550100');
    const { session } = single(t.ua().outgoing);
    const seen: string[] = [];
    const unsubscribe = t.phone.subscribe((state) => seen.push(state.registration));
    t.phone.stop();
    assert.deepEqual(session.made('terminate'), [[{ extraHeaders: ['X-Callsign-Token: tk1'] }]]);
    assert.equal(t.ua().stopped, true);
    assert.equal(t.phone.state.registration, 'offline');
    t.ua().emit('unregistered', {});
    assert.equal(t.phone.state.registration, 'offline', 'the stop’s own unregister changes nothing');
    mock.timers.tick(2 * HOUR_MS);
    await settle();
    assert.equal(t.fetches(), 1, 'no token refresh after stop');
    unsubscribe();
    t.ua().emit('registered', {});
    assert.deepEqual(seen, ['offline']);
  });

  it('a token that arrives after stop() changes nothing', async () => {
    const { library, uas } = createFakeJsSip();
    let release: (value: WebRtcTokenView) => void = () => undefined;
    const tokens = [Promise.resolve(token('tk1')), new Promise<WebRtcTokenView>((resolve) => (release = resolve))];
    const phone = createPhone(
      {
        fetchToken: () => tokens.shift() ?? Promise.reject(new Error('unexpected fetch')),
        remoteAudio: fakeAudioElement(),
        ...BANDWIDTH_ONLY,
      },
      { JsSIP: library, WebSocket: NoWebSocket as unknown as typeof WebSocket },
    );
    await phone.start();
    const ua = single(uas);
    ua.connect();
    mock.timers.tick(HOUR_MS); // the refresh starts and waits for its token
    await settle();
    phone.stop();
    const [headersBefore, registersBefore] = [ua.registerHeaders.length, ua.registers];
    release(token('tk2'));
    await settle();
    mock.timers.tick(2_000);
    assert.deepEqual([ua.registerHeaders.length, ua.registers], [headersBefore, registersBefore]);
  });

  it('exposes no window.__dialpad outside a test build', async () => {
    await registered();
    assert.equal('__dialpad' in globalThis, false);
  });
});
