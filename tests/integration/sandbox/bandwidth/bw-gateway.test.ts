// The In-App Calling gateway: JsSIP registers over WebSocket with `Authorization: Bearer <token>` of the In-App
// Calling credential; no token, an account token or a revoked one is refused, for REGISTER and INVITE alike.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import JsSIP from 'jssip';
import WebSocket from 'ws';
import { startBandwidth, type BwHarness } from './bw-harness';
import { connectInApp } from './bw-inapp-client';
import { getHeader } from '../../../../sandbox/sip/sip-message';

(globalThis as { WebSocket?: unknown }).WebSocket = WebSocket;

let h: BwHarness;
const uas: JsSIP.UA[] = [];

before(async () => {
  h = await startBandwidth();
});
after(async () => {
  for (const ua of uas) ua.stop();
  await h.close();
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
