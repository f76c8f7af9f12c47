// The In-App Calling gateway: JsSIP registers over WebSocket with `Authorization: Bearer <token>` of the In-App
// Calling credential; no token, an account token or a revoked one is refused, for REGISTER and INVITE alike. Which
// Voice-V2 application an In-App call's `initiate` goes to, and a CANCEL before the BXML answers the call.
import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import JsSIP from 'jssip';
import WebSocket from 'ws';
import { startBandwidth, type BwHarness } from './bw-harness';
import { connectInApp } from './bw-inapp-client';
import { startTestApp, type TestApp } from './bw-app';
import { getHeader } from '../../../../sandbox/sip/sip-message';

(globalThis as { WebSocket?: unknown }).WebSocket = WebSocket;

let h: BwHarness;
let app: TestApp;
const uas: JsSIP.UA[] = [];

before(async () => {
  h = await startBandwidth({ bandwidth: { inAppCallingNumber: '+19845550177' } });
  app = await startTestApp();
});
afterEach(() => app.assertAllValid());
after(async () => {
  for (const ua of uas) ua.stop();
  await h.close();
  await app.close();
});

function register(token: string | undefined): Promise<{ registered: boolean; status?: number }> {
  const ua = new JsSIP.UA({
    sockets: [new JsSIP.WebSocketInterface(h.sandbox.bandwidth.gatewayUrl)],
    uri: 'sip:dialpad-user@gw.webrtc-app.bandwidth.com',
    register: false,
    connection_recovery_min_interval: 60,
  });
  uas.push(ua);
  const outcome = new Promise<{ registered: boolean; status?: number }>((resolve) => {
    ua.on('registered', () => resolve({ registered: true }));
    ua.on('registrationFailed', (event: any) => resolve({ registered: false, status: event.response?.status_code }));
  });
  if (token) ua.registrator().setExtraHeaders([`Authorization: Bearer ${token}`]);
  ua.on('connected', () => ua.register());
  ua.start();
  return outcome;
}

test('JsSIP registers with a Bearer token of the In-App Calling credential', async () => {
  assert.deepEqual(await register(await h.token('webrtc')), { registered: true });
  const registrations = (await h.control('GET', '/gateway/registrations')).json as Array<{
    aor: string;
    contact: string;
    expires: number;
  }>;
  const mine = registrations.find((r) => r.aor === 'sip:dialpad-user@gw.webrtc-app.bandwidth.com');
  assert.ok(mine, JSON.stringify(registrations));
  assert.ok(mine.expires > 500 && mine.expires <= 600);
});

test('REGISTER without a token → 401; with the account credential’s token or a revoked one → 403', async () => {
  assert.deepEqual(await register(undefined), { registered: false, status: 401 });
  assert.deepEqual(await register(await h.token('account')), { registered: false, status: 403 });
  const revoked = await h.token('webrtc');
  await h.control('POST', '/tokens/revoke');
  assert.deepEqual(await register(revoked), { registered: false, status: 403 });
});

test('INVITE is refused the same way: 401 without a Bearer token, 403 with an account token', async () => {
  const client = await connectInApp(h.sandbox.bandwidth.gatewayUrl, 'not-a-token');
  try {
    const account = await client.call('+19195550111', { token: await h.token('account') });
    assert.equal((await account.final).status, 403);
    const none = await client.call('+19195550111', { token: '' });
    assert.equal((await none.final).status, 401);
    assert.match(getHeader(await none.final, 'WWW-Authenticate') ?? '', /^Bearer /);
    const unknown = await client.call('+19195550111');
    assert.equal((await unknown.final).status, 403);
  } finally {
    await client.close();
  }
  assert.equal((await h.control('GET', '/calls')).json.length, 0, 'no call reached the Voice API');
});

test('an INVITE while the account has no Voice-V2 application → 403, and no call exists', async () => {
  const client = await connectInApp(h.sandbox.bandwidth.gatewayUrl, await h.token('webrtc'));
  try {
    const call = await client.call('+19195550112');
    assert.equal((await call.final).status, 403);
  } finally {
    await client.close();
  }
  assert.equal((await h.control('GET', '/calls')).json.length, 0);
});

test('initiate goes to inAppCallingApplicationId, else the location inAppCallingPeerId’s application, else the first', async () => {
  const first = await h.provision({ callbackUrl: `${app.url}/first` });
  const second = await h.provision({ callbackUrl: `${app.url}/second` });
  for (const path of ['/first', '/second']) app.on(path, () => '<Response><Hangup/></Response>');
  const client = await connectInApp(h.sandbox.bandwidth.gatewayUrl, await h.token('webrtc'));
  const routedTo = async (dialled: string) => {
    const call = await client.call(dialled);
    const initiate = await app.waitFor((hook) => hook.body.eventType === 'initiate' && hook.body.to === dialled);
    assert.ok((await call.final).status >= 400, 'Hangup before answer refuses the INVITE');
    assert.equal(initiate.body.from, '+19845550177', 'from is the account-level In-App number');
    return { path: initiate.path, applicationId: initiate.body.applicationId as string };
  };
  try {
    assert.deepEqual(await routedTo('+19195550113'), { path: '/first', applicationId: first.applicationId });
    await h.control('PUT', '/settings', { inAppCallingPeerId: second.peerId });
    assert.deepEqual(await routedTo('+19195550114'), { path: '/second', applicationId: second.applicationId });
    await h.control('PUT', '/settings', { inAppCallingApplicationId: first.applicationId });
    assert.deepEqual(await routedTo('+19195550115'), { path: '/first', applicationId: first.applicationId });
  } finally {
    await h.control('PUT', '/settings', { inAppCallingApplicationId: null, inAppCallingPeerId: null });
    await client.close();
  }
});

test('CANCEL before the BXML answers: 200 to the CANCEL, 487 to the INVITE, disconnect with cause cancel', async () => {
  const line = await h.provision({ callbackUrl: `${app.url}/unanswered`, statusUrl: `${app.url}/unanswered-status` });
  await h.control('PUT', '/settings', { inAppCallingApplicationId: line.applicationId });
  app.on('/unanswered', () => '<Response><Ring duration="30" answerCall="false"/></Response>');
  const client = await connectInApp(h.sandbox.bandwidth.gatewayUrl, await h.token('webrtc'));
  try {
    const call = await client.call('+19195550116');
    const initiate = await app.waitFor((hook) => hook.path === '/unanswered' && hook.body.to === '+19195550116');
    assert.equal((await call.cancel()).status, 200);
    assert.equal((await call.final).status, 487);
    const disconnect = await app.waitFor(
      (hook) => hook.body.eventType === 'disconnect' && hook.body.callId === initiate.body.callId,
    );
    assert.equal(disconnect.path, '/unanswered-status');
    assert.equal(disconnect.body.cause, 'cancel');
    assert.equal((await h.control('GET', `/calls/${initiate.body.callId}`)).json.state, 'disconnected');
  } finally {
    await h.control('PUT', '/settings', { inAppCallingApplicationId: null });
    await client.close();
  }
});
