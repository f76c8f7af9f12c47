// The dialpad's phone on Bandwidth In-App Calling, against the fake JsSIP UA and a fake notification socket:
// what it sends (Bearer on REGISTER and INVITE, the caller or pickup token in User-to-User), when it is ready,
// how an announced call rings, is answered, declined or missed, and how it recovers when things fail.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import type { NotificationsAccess, WebRtcTokenView } from '../../../core/api-types';
import { createPhone } from '../../../web/src/phone/create-phone';
import type { Phone } from '../../../web/src/phone/phone';
import { itemAt, single } from '../../support/list-items';
import { createFakeJsSip, fakeAudioElement, type FakeUa } from './support/fake-jssip';
import { createFakeSockets, type FakeNotificationSocket } from './support/fake-notification-socket';

const USER = { username: 'alice', number: '+19195550101' };
const BEARER = (n: number) => `Authorization: Bearer iac-${n}`;
const settle = () => new Promise((resolve) => setImmediate(resolve));

function bandwidthToken(n: number, callerLifetimeMs = 600_000): WebRtcTokenView {
  return {
    provider: 'bandwidth',
    token: `iac-${n}`,
    expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    websocketUrl: 'wss://gw.example.invalid:10081',
    sipDomain: 'gw.example.invalid',
    callerToken: `caller-${n}`,
    callerTokenExpiresAt: new Date(Date.now() + callerLifetimeMs).toISOString(),
    authorizationHeader: 'Authorization',
  };
}

function setup() {
  const { library, uas } = createFakeJsSip();
  const { WebSocket, sockets } = createFakeSockets();
  const tokens: Array<WebRtcTokenView | Error> = [];
  const negotiations: Array<NotificationsAccess | Error> = [];
  const declined: string[] = [];
  let fetches = 0;
  let negotiated = 0;
  let declineFails = false;
  const remoteAudio = fakeAudioElement();
  const phone: Phone = createPhone(
    {
      fetchToken: async () => {
        fetches += 1;
        const next = tokens.shift() ?? bandwidthToken(fetches);
        if (next instanceof Error) throw next;
        return next;
      },
      negotiateNotifications: async () => {
        negotiated += 1;
        const next = negotiations.shift() ?? {
          url: `wss://pubsub.example.invalid/client/hubs/calls?access_token=n${negotiated}`,
          expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
        };
        if (next instanceof Error) throw next;
        return next;
      },
      declineCall: async (callId) => {
        declined.push(callId);
        if (declineFails) throw new Error('network-error');
      },
      user: USER,
      remoteAudio,
      iceServers: [],
    },
    { JsSIP: library, WebSocket },
  );
  return {
    phone,
    remoteAudio,
    tokens,
    negotiations,
    declined,
    failDeclines: () => (declineFails = true),
    fetches: () => fetches,
    negotiated: () => negotiated,
    ua: (): FakeUa => single(uas, 'UA'),
    sockets,
    socket: (): FakeNotificationSocket => itemAt(sockets, -1, 'notification socket'),
  };
}
type Setup = ReturnType<typeof setup>;

async function ready(t: Setup): Promise<void> {
  await t.phone.start();
  await settle();
  t.ua().connect();
  t.ua().emit('registered', {});
  t.socket().open();
  assert.equal(t.phone.state.registration, 'registered');
}

function announce(t: Setup, callId: string, expiresInMs = 60_000): void {
  t.socket().deliver({
    type: 'incoming-call',
    callId,
    from: '+12125550143',
    pickupToken: `pickup-${callId}`,
    expiresAt: new Date(Date.now() + expiresInMs).toISOString(),
  });
}

const lastHeaders = (ua: FakeUa) => itemAt(ua.registerHeaders, -1, 'registrator header set');

describe('phone on Bandwidth In-App Calling', () => {
  let t: Setup;
  beforeEach(() => {
    mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'], now: Date.parse('2026-11-26T10:00:00Z') });
    t = setup();
  });
  afterEach(() => {
    t.phone.stop();
    mock.timers.reset();
  });

  it('registers on the gateway as the user, with the Bearer token and no password, as Bandwidth’s SDK does', async () => {
    await t.phone.start();
    const ua = t.ua();
    assert.deepEqual(
      ua.config.sockets.map((socket) => socket.url),
      ['wss://gw.example.invalid:10081'],
    );
    assert.equal(ua.config.uri, 'sip:alice@gw.example.invalid');
    assert.equal(ua.config.password, undefined);
    assert.deepEqual(lastHeaders(ua), [BEARER(1)]);
    assert.equal(ua.registers, 0);
    ua.connect();
    assert.equal(ua.registers, 1, 'REGISTER once connected, with the token set');
  });

  it('is ready only when both the registration and the incoming-call channel are up', async () => {
    await t.phone.start();
    await settle();
    assert.equal(t.negotiated(), 1);
    assert.match(t.socket().url, /access_token=n1$/);
    t.ua().connect();
    t.ua().emit('registered', {});
    assert.equal(t.phone.state.registration, 'connecting');
    assert.match(t.phone.state.registrationError ?? '', /incoming calls/);
    t.socket().open();
    assert.equal(t.phone.state.registration, 'registered');
    t.ua().emit('disconnected', {});
    assert.equal(t.phone.state.registration, 'connecting');
    t.ua().emit('registrationFailed', { cause: 'Forbidden' });
    assert.deepEqual(
      [t.phone.state.registration, t.phone.state.registrationError],
      ['failed', 'Registration failed: Forbidden'],
    );
  });

  it('places a call to sip:<number>@<domain> with the Bearer token and the caller token in User-to-User', async () => {
    await ready(t);
    t.phone.call('+19195550199');
    const { target, options, session } = single(t.ua().outgoing, 'INVITE');
    assert.equal(target, 'sip:+19195550199@gw.example.invalid');
    assert.deepEqual(options.extraHeaders, [BEARER(1), 'User-to-User: caller-1;encoding=jwt']);
    assert.equal(t.phone.state.call?.state, 'dialing');
    session.emit('progress', {});
    assert.equal(t.phone.state.call?.state, 'ringing');
    session.emit('confirmed', {});
    assert.equal(t.phone.state.call?.state, 'active');
    t.phone.hangUp();
    assert.deepEqual(session.made('terminate'), [[{ extraHeaders: [] }]]);
  });

  it('refreshes before the earlier of its two expiries, registers again and calls with the new caller token', async () => {
    await ready(t);
    const registersBefore = t.ua().registers;
    mock.timers.tick(540_000 - 1); // the caller token lives 10 minutes: refreshed a minute before
    await settle();
    assert.equal(t.fetches(), 1);
    mock.timers.tick(1);
    await settle();
    assert.equal(t.fetches(), 2);
    assert.deepEqual(lastHeaders(t.ua()), [BEARER(2)]);
    assert.equal(t.ua().registers, registersBefore + 1);
    t.phone.call('+19195550199');
    assert.deepEqual(single(t.ua().outgoing).options.extraHeaders, [BEARER(2), 'User-to-User: caller-2;encoding=jwt']);
  });

  it('keeps its registration when a refresh fails, and tries again 10 s later', async () => {
    t.tokens.push(bandwidthToken(1), new Error('provider-unavailable'));
    await ready(t);
    mock.timers.tick(540_000);
    await settle();
    assert.deepEqual([t.phone.state.registration, lastHeaders(t.ua())], ['registered', [BEARER(1)]]);
    mock.timers.tick(10_000);
    await settle();
    assert.deepEqual(lastHeaders(t.ua()), [BEARER(3)]);
  });

  it('rings on an announced call and answers it by calling its own number with the pickup token', async () => {
    await ready(t);
    announce(t, 'park-1');
    const shown = t.phone.state.call;
    assert.deepEqual(
      [shown?.id, shown?.direction, shown?.state, shown?.peer],
      ['park-1', 'inbound', 'incoming', '+12125550143'],
    );
    t.phone.answer();
    const { target, options, session } = single(t.ua().outgoing, 'pickup INVITE');
    assert.equal(target, 'sip:+19195550101@gw.example.invalid');
    assert.deepEqual(options.extraHeaders, [BEARER(1), 'User-to-User: pickup-park-1;encoding=jwt']);
    assert.deepEqual([t.phone.state.call?.id, t.phone.state.call?.state], ['park-1', 'answering']);
    assert.equal(t.phone.state.call?.startedAt, shown?.startedAt, 'the same call, not a new one');
    session.emit('confirmed', {});
    assert.equal(t.phone.state.call?.state, 'active');
    t.phone.answer();
    assert.equal(t.ua().outgoing.length, 1, 'a second click does nothing');
  });

  it('shows why a pickup failed (e.g. answered on another dialpad first)', async () => {
    await ready(t);
    announce(t, 'park-2');
    t.phone.answer();
    single(t.ua().outgoing).session.emit('failed', { cause: 'Not Found', originator: 'remote' });
    assert.deepEqual([t.phone.state.call?.state, t.phone.state.call?.outcome], ['ended', 'unreachable']);
  });

  it('declines an announced call through the API, and ends it here even when that call fails', async () => {
    await ready(t);
    announce(t, 'park-3');
    t.phone.decline();
    assert.deepEqual(t.declined, ['park-3']);
    assert.deepEqual([t.phone.state.call?.state, t.phone.state.call?.outcome], ['ended', 'declined']);
    assert.equal(t.ua().outgoing.length, 0, 'no SIP for a decline');
    t.failDeclines();
    announce(t, 'park-4');
    t.phone.decline();
    await settle();
    assert.deepEqual(t.declined, ['park-3', 'park-4']);
    assert.equal(t.phone.state.call?.outcome, 'declined');
  });

  it('dismisses an announced call when the caller hangs up, or when its pickup token runs out', async () => {
    await ready(t);
    announce(t, 'park-5');
    t.socket().deliver({ type: 'call-ended', callId: 'another' });
    assert.equal(t.phone.state.call?.state, 'incoming', 'another call’s end changes nothing');
    t.socket().deliver({ type: 'call-ended', callId: 'park-5' });
    assert.deepEqual([t.phone.state.call?.state, t.phone.state.call?.outcome], ['ended', 'missed']);

    announce(t, 'park-6', 30_000);
    mock.timers.tick(29_999);
    assert.equal(t.phone.state.call?.state, 'incoming');
    mock.timers.tick(1);
    assert.equal(t.phone.state.call?.outcome, 'missed');
    t.phone.answer();
    assert.equal(t.ua().outgoing.length, 0, 'a missed call cannot be answered');
  });

  it('ignores calls announced too late, and frames it does not understand', async () => {
    await ready(t);
    announce(t, 'park-8', -1);
    t.socket().deliver('not json');
    t.socket().deliver({ type: 'incoming-call', callId: 'park-9' }); // no pickup token
    t.socket().deliver({ type: 'something-new', callId: 'x' });
    assert.equal(t.phone.state.call, undefined);
  });

  it('shows a call announced during a call as waiting, with the caller’s username; a third one is left to ring elsewhere', async () => {
    await ready(t);
    t.phone.call('+19195550199');
    const current = single(t.ua().outgoing).session;
    current.emit('confirmed', {});
    t.socket().deliver({
      type: 'incoming-call',
      callId: 'park-7',
      from: '+19195550102',
      fromUsername: 'bob',
      pickupToken: 'pickup-park-7',
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
    });
    assert.equal(t.phone.state.call?.direction, 'outbound', 'the call in progress stays');
    assert.deepEqual(
      [t.phone.state.waiting?.id, t.phone.state.waiting?.peer, t.phone.state.waiting?.peerName],
      ['park-7', '+19195550102', 'bob'],
    );
    announce(t, 'park-8');
    assert.equal(t.phone.state.waiting?.id, 'park-7', 'one waits at a time');
    t.socket().deliver({ type: 'call-ended', callId: 'park-7' });
    assert.equal(t.phone.state.waiting, undefined, 'the waiting caller gave up');
    assert.equal(t.phone.state.call?.state, 'active');
  });

  it('declines a waiting call through the API, or ends the current call and picks the waiting one up', async () => {
    await ready(t);
    t.phone.call('+19195550199');
    const first = single(t.ua().outgoing).session;
    first.emit('confirmed', {});
    announce(t, 'park-11');
    t.phone.declineWaiting();
    assert.deepEqual([t.declined, t.phone.state.waiting], [['park-11'], undefined]);
    assert.equal(t.phone.state.call?.state, 'active');

    announce(t, 'park-12');
    // JsSIP ends a session synchronously on terminate(); the fake says so the same way.
    first.terminate = () => void first.emit('ended', { cause: 'Terminated', originator: 'local' });
    t.phone.answerWaiting();
    const pickup = itemAt(t.ua().outgoing, 1, 'pickup INVITE');
    assert.deepEqual(pickup.options.extraHeaders, [BEARER(1), 'User-to-User: pickup-park-12;encoding=jwt']);
    assert.deepEqual(
      [t.phone.state.call?.id, t.phone.state.call?.state, t.phone.state.waiting],
      ['park-12', 'answering', undefined],
    );
  });

  it('rings a waiting call as the current one when the current call ends first', async () => {
    await ready(t);
    t.phone.call('+19195550199');
    const first = single(t.ua().outgoing).session;
    first.emit('confirmed', {});
    announce(t, 'park-13');
    first.emit('ended', { cause: 'Terminated', originator: 'remote' });
    assert.deepEqual([t.phone.state.call?.id, t.phone.state.call?.state], ['park-13', 'incoming']);
    t.phone.answer();
    assert.equal(itemAt(t.ua().outgoing, 1).target, 'sip:+19195550101@gw.example.invalid');
  });

  it('holds and resumes with the Bearer token on the re-INVITE', async () => {
    await ready(t);
    t.phone.call('+19195550199');
    const { session } = single(t.ua().outgoing);
    t.phone.setHeld(true);
    assert.deepEqual(session.made('hold'), [], 'only a connected call can be held');
    session.emit('confirmed', {});
    t.phone.setHeld(true);
    assert.deepEqual(session.made('hold'), [[{ extraHeaders: [BEARER(1)] }]]);
    assert.deepEqual([t.phone.state.call?.held, t.remoteAudio.muted], [true, true]);
    t.phone.setHeld(false);
    assert.deepEqual([t.phone.state.call?.held, t.remoteAudio.muted], [false, false]);
  });

  it('refuses calls that arrive over SIP: on Bandwidth they are announced, never delivered', async () => {
    await ready(t);
    const invite = t.ua().ring('+12125550143');
    assert.deepEqual(invite.made('terminate'), [[{ status_code: 480, reason_phrase: 'Temporarily Unavailable' }]]);
    assert.equal(t.phone.state.call, undefined);
  });

  it('reconnects a dropped channel through a fresh negotiation, backing off while negotiation fails', async () => {
    await ready(t);
    t.negotiations.push(new Error('network-error'), new Error('network-error'));
    t.socket().drop();
    assert.equal(t.phone.state.registration, 'connecting');
    mock.timers.tick(1_000); // first retry after 0.8–1 s
    await settle();
    assert.equal(t.negotiated(), 2);
    mock.timers.tick(2_000); // then 1.6–2 s
    await settle();
    assert.equal(t.negotiated(), 3);
    assert.equal(t.sockets.length, 1, 'no socket while negotiation fails');
    mock.timers.tick(4_000); // then 3.2–4 s, and negotiation works
    await settle();
    assert.deepEqual([t.negotiated(), t.sockets.length], [4, 2]);
    assert.match(t.socket().url, /access_token=n4$/);
    t.socket().open();
    assert.equal(t.phone.state.registration, 'registered');
    announce(t, 'park-10');
    assert.equal(t.phone.state.call?.state, 'incoming', 'calls are announced on the new connection');
    t.socket().drop();
    mock.timers.tick(1_000); // open again: the back-off starts over
    await settle();
    assert.equal(t.negotiated(), 5);
  });

  it('stops everything on stop(): the UA, the channel, and no reconnection or refresh after', async () => {
    await ready(t);
    t.phone.stop();
    assert.equal(t.ua().stopped, true);
    assert.equal(t.socket().closed, true);
    assert.equal(t.phone.state.registration, 'offline');
    t.socket().drop();
    mock.timers.tick(3_600_000);
    await settle();
    assert.deepEqual([t.negotiated(), t.fetches()], [1, 1]);
  });
});
