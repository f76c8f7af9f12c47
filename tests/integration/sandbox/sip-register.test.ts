// JsSIP (the dialpad's SIP library) in Node against the sandbox's /sip WebSocket: REGISTER with the endpoint
// password (digest) and with an X-Callsign-Token, the rejections, and unregistering.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import JsSIP from 'jssip';
import { createSandbox, type Sandbox } from '../../../sandbox/server';
import { single } from '../../support/list-items';
import { SandboxApi, type ProvisionedEndpoint } from './sip-fixtures';

(globalThis as { WebSocket?: unknown }).WebSocket = WebSocket;

type Outcome = { registered: true } | { registered: false; cause: string; status?: number };

function startUa(sandbox: Sandbox, options: { uri: string; password?: string; token?: string }) {
  const ua = new JsSIP.UA({
    sockets: [new JsSIP.WebSocketInterface(sandbox.websocketUrl)],
    uri: options.uri,
    ...(options.password ? { password: options.password } : {}),
    register: !options.token,
    connection_recovery_min_interval: 60, // a failed test must not reconnect in a loop
  });
  const outcome = new Promise<Outcome>((resolve) => {
    ua.on('registered', () => resolve({ registered: true }));
    ua.on('registrationFailed', (event: any) =>
      resolve({ registered: false, cause: event.cause, status: event.response?.status_code }),
    );
  });
  if (options.token) {
    ua.registrator().setExtraHeaders([`X-Callsign-Token: ${options.token}`]);
    ua.on('connected', () => ua.register());
  }
  ua.start();
  return { ua, outcome };
}

describe('sandbox SIP registrar with JsSIP over WebSocket', { timeout: 30_000 }, () => {
  let clock = Date.now();
  let sandbox: Sandbox;
  let api: SandboxApi;
  let alice: ProvisionedEndpoint;
  let bob: ProvisionedEndpoint;
  const uas: JsSIP.UA[] = [];
  const track = <T extends { ua: JsSIP.UA }>(started: T) => (uas.push(started.ua), started);

  before(async () => {
    sandbox = await createSandbox({ now: () => clock });
    api = new SandboxApi(sandbox);
    const applicationId = await api.createApplication('http://127.0.0.1:9/unused');
    const domainId = await api.createDomain('sipregtests');
    alice = await api.createEndpoint(domainId, 'alice', { applicationId });
    bob = await api.createEndpoint(domainId, 'bob', { applicationId });
  });

  after(async () => {
    for (const ua of uas) ua.stop();
    await sandbox.close();
  });

  test('registers with the endpoint password and shows the binding', async () => {
    const { ua, outcome } = track(startUa(sandbox, { uri: alice.sipUri, password: alice.password }));
    assert.deepEqual(await outcome, { registered: true });
    const binding = single(
      (await api.registrations()).filter((b) => b.aor === alice.sipUri),
      'binding',
    );
    assert.equal(binding.kind, 'endpoint');
    assert.match(binding.contact, /^sip:[^@]+@[a-z0-9]+\.invalid;transport=ws/);
    assert.ok(binding.expires > 500 && binding.expires <= 600, `expires ${binding.expires}`);

    const unregistered = new Promise<void>((resolve) => ua.on('unregistered', () => resolve()));
    ua.unregister();
    await unregistered;
    assert.deepEqual(
      (await api.registrations()).filter((b) => b.aor === alice.sipUri),
      [],
    );
  });

  test('rejects a wrong password with 403', async () => {
    const { outcome } = track(startUa(sandbox, { uri: alice.sipUri, password: 'not-the-password' }));
    assert.deepEqual(await outcome, { registered: false, cause: 'Rejected', status: 403 });
  });

  test('rejects a REGISTER with neither password nor token (401 challenge, no credentials)', async () => {
    const { outcome } = track(startUa(sandbox, { uri: bob.sipUri }));
    const result = await outcome;
    assert.equal(result.registered, false);
    assert.equal((result as { status?: number }).status, 401);
  });

  test('registers with an X-Callsign-Token and rejects it for another AOR', async () => {
    const token = await api.createToken(bob);
    const good = track(startUa(sandbox, { uri: bob.sipUri, token }));
    assert.deepEqual(await good.outcome, { registered: true });
    const wrongAor = track(startUa(sandbox, { uri: alice.sipUri, token }));
    assert.deepEqual(await wrongAor.outcome, { registered: false, cause: 'Rejected', status: 403 });
  });

  test('rejects revoked and expired tokens', async () => {
    const revoked = await api.createToken(alice);
    await api.revokeToken(alice, revoked);
    assert.deepEqual(await track(startUa(sandbox, { uri: alice.sipUri, token: revoked })).outcome, {
      registered: false,
      cause: 'Rejected',
      status: 403,
    });

    const expiring = await api.createToken(alice, 60);
    clock += 61_000;
    assert.deepEqual(await track(startUa(sandbox, { uri: alice.sipUri, token: expiring })).outcome, {
      registered: false,
      cause: 'Rejected',
      status: 403,
    });
  });

  test('rejects a disabled endpoint and an unknown user', async () => {
    const disabled = await api.createEndpoint(alice.domainId, 'carol', { enabled: false });
    assert.deepEqual(await track(startUa(sandbox, { uri: disabled.sipUri, password: disabled.password })).outcome, {
      registered: false,
      cause: 'Rejected',
      status: 403,
    });
    assert.deepEqual(
      await track(startUa(sandbox, { uri: `sip:nobody@${alice.realm}`, password: 'whatever-password' })).outcome,
      { registered: false, cause: 'Rejected', status: 403 },
    );
  });

  test('several clients register on one AOR; closing one socket drops only its binding', async () => {
    const first = track(startUa(sandbox, { uri: alice.sipUri, password: alice.password }));
    const second = track(startUa(sandbox, { uri: alice.sipUri, password: alice.password }));
    await Promise.all([first.outcome, second.outcome]);
    assert.equal((await api.registrations()).filter((b) => b.aor === alice.sipUri).length, 2);
    first.ua.stop(); // unregisters then closes
    await waitUntil(async () => (await api.registrations()).filter((b) => b.aor === alice.sipUri).length === 1);
    // A socket that just dies (no unregister) also loses its binding.
    (second.ua as any)._transport.socket._ws.terminate();
    await waitUntil(async () => (await api.registrations()).filter((b) => b.aor === alice.sipUri).length === 0);
  });

  test('an outside-phone page registers without auth, but not as a sandbox-owned number', async () => {
    const phone = track(startUa(sandbox, { uri: 'sip:+19995550100@pstn.sandbox.invalid' }));
    assert.deepEqual(await phone.outcome, { registered: true });
    const binding = (await api.registrations()).find((b) => b.aor === 'sip:+19995550100@pstn.sandbox.invalid');
    assert.equal(binding?.kind, 'outside-phone');

    const applicationId = await api.createApplication('http://127.0.0.1:9/unused');
    const owned = await api.orderNumber(applicationId);
    const impostor = track(startUa(sandbox, { uri: `sip:${owned}@pstn.sandbox.invalid` }));
    assert.deepEqual(await impostor.outcome, { registered: false, cause: 'Rejected', status: 403 });
  });
});

async function waitUntil(probe: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
