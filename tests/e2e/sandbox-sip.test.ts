// Browser tier of the sandbox's SIP side: real JsSIP in headless Chromium (two contexts = two users) against
// createSandbox(), with a tiny webhook that transfers calls as the app does. Audio is proven with getStats()
// (packets and energy) and the tone phone's RTP counters. Run it loopback-only:
//   unshare -n sh -c 'ip link set lo up; node --import tsx --test tests/e2e/sandbox-sip.test.ts'
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { checkDialledNumber } from '../../core/users/phone-number';
import { createSandbox, type Sandbox } from '../../sandbox/server';
import { SandboxApi, type ProvisionedEndpoint } from '../integration/sandbox/sip-fixtures';
import { launchChromium, newTestContext, waitFor } from './support/chromium';

interface User {
  endpoint: ProvisionedEndpoint;
  number: string;
  page: Page;
}

/** Installed in each page (the sandbox phone page provides window.JsSIP): one JsSIP UA driven from Node. */
function installEndpoint(args: { wsUrl: string; uri: string; password: string }): void {
  const w = globalThis as any;
  const JsSIP = w.JsSIP;
  const ep: any = { state: 'connecting', log: [] as string[], session: null, pc: null };
  w.ep = ep;
  const hook = (session: any) => {
    ep.session = session;
    session.on('icecandidate', (e: any) => setTimeout(() => e.ready(), 1000));
    const usePc = (pc: any) => {
      ep.pc = pc;
      pc.addEventListener('track', (e: any) => {
        const audio = w.document.createElement('audio');
        audio.autoplay = true;
        audio.srcObject = e.streams[0];
        w.document.body.appendChild(audio);
      });
    };
    if (session.connection) usePc(session.connection);
    else session.on('peerconnection', (e: any) => usePc(e.peerconnection));
    for (const name of ['progress', 'accepted', 'confirmed']) session.on(name, () => ep.log.push(name));
    session.on('ended', (e: any) => ep.log.push(`ended:${e.cause}`));
    session.on('hold', (e: any) => ep.log.push(`hold:${e.originator}`));
    session.on('unhold', (e: any) => ep.log.push(`unhold:${e.originator}`));
    session.on('newInfo', (e: any) => {
      if (e.originator === 'remote') ep.log.push(`info:${e.info.contentType}:${e.info.body}`);
    });
    session.on('failed', (e: any) => ep.log.push(`failed:${e.cause}`));
  };
  const ua = new JsSIP.UA({
    sockets: [new JsSIP.WebSocketInterface(args.wsUrl)],
    uri: args.uri,
    password: args.password,
    register: true,
    session_timers: false,
  });
  ua.on('registered', () => {
    ep.state = 'registered';
  });
  ua.on('registrationFailed', (e: any) => {
    ep.state = `failed:${e.cause}`;
  });
  ua.on('newRTCSession', (e: any) => {
    if (e.originator !== 'remote') return;
    ep.log.push(`incoming:${e.request.from.uri.user}`);
    hook(e.session);
  });
  const media = { mediaConstraints: { audio: true, video: false }, pcConfig: { iceServers: [] } };
  ep.call = (target: string) => hook(ua.call(target, media));
  ep.answer = () => ep.session.answer(media);
  ep.hangUp = () => ep.session.terminate();
  ep.stats = async () => {
    if (!ep.pc) return null;
    const report = await ep.pc.getStats();
    let inbound: any = null;
    report.forEach((s: any) => {
      if (s.type === 'inbound-rtp' && s.kind === 'audio') inbound = s;
    });
    return (
      inbound && { packetsReceived: inbound.packetsReceived ?? 0, totalAudioEnergy: inbound.totalAudioEnergy ?? 0 }
    );
  };
  ua.start();
}

/**
 * The app's routing, reduced (docs/contracts/catapult-v1.md §18.2): number of a user → that user's endpoint; endpoint →
 * dialled number.
 */
function startWebhook(sandbox: Sandbox, api: SandboxApi, users: () => User[], options: { delayMs: () => number }) {
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      res.writeHead(200).end();
      const event = JSON.parse(raw || '{}');
      if (event.eventType !== 'answer') return;
      const callee = users().find((u) => u.number === event.to);
      const caller = users().find((u) => u.endpoint.sipUri === event.from);
      const transfer = callee
        ? { transferTo: callee.endpoint.sipUri, transferCallerId: caller ? caller.number : event.from }
        : caller
          ? { transferTo: event.to, transferCallerId: caller.number }
          : undefined;
      if (!transfer) return;
      setTimeout(() => {
        api.request('POST', `/calls/${event.callId}`, { state: 'transferring', ...transfer }).catch(() => {
          // the caller may have cancelled while the webhook was slow: the sandbox answers 4xx, nothing to do
        });
      }, options.delayMs());
    });
  });
  return new Promise<Server>((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('sandbox SIP with JsSIP in Chromium', { timeout: 120_000 }, () => {
  let sandbox: Sandbox;
  let api: SandboxApi;
  let browser: Browser;
  let webhook: Server;
  let webhookDelayMs = 0;
  let alice: User;
  let bob: User;
  const users: User[] = [];

  const evaluate = <T>(user: User, fn: string) => user.page.evaluate<T>(fn);
  const log = (user: User) => evaluate<string[]>(user, 'window.ep.log');
  const waitForLog = (user: User, pattern: RegExp, description: string) =>
    waitFor(async () => (await log(user)).find((entry) => pattern.test(entry)), { timeoutMs: 15_000, description });
  async function waitForAudio(user: User) {
    return waitFor(
      async () => {
        const stats = await evaluate<{ packetsReceived: number; totalAudioEnergy: number } | null>(
          user,
          'window.ep.stats()',
        );
        return stats && stats.packetsReceived > 0 && stats.totalAudioEnergy > 0 ? stats : null;
      },
      { timeoutMs: 15_000, description: 'inbound audio with energy' },
    );
  }

  before(async () => {
    sandbox = await createSandbox();
    api = new SandboxApi(sandbox);
    webhook = await startWebhook(sandbox, api, () => users, { delayMs: () => webhookDelayMs });
    const applicationId = await api.createApplication(
      `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/events`,
    );
    const domainId = await api.createDomain('sipe2etests');
    browser = await launchChromium();
    const addUser = async (name: string, index: number): Promise<User> => {
      const endpoint = await api.createEndpoint(domainId, name, { applicationId });
      const number = await api.orderNumber(applicationId, index);
      const page = await (await newTestContext(browser)).newPage();
      await page.goto(`${sandbox.baseUrl}/sandbox/phone`);
      await page.evaluate(installEndpoint, {
        wsUrl: sandbox.websocketUrl,
        uri: endpoint.sipUri,
        password: endpoint.password,
      });
      const user = { endpoint, number, page };
      users.push(user);
      return user;
    };
    alice = await addUser('alice', 0);
    bob = await addUser('bob', 1);
    for (const user of users) {
      await waitFor(() => evaluate<string>(user, 'window.ep.state').then((s) => s === 'registered'), {
        description: 'registered',
      });
    }
  });

  beforeEach(async () => {
    for (const user of users) await evaluate(user, 'window.ep.log = []');
  });

  after(async () => {
    await browser?.close();
    await sandbox?.close();
    webhook?.close();
  });

  test("endpoint calls another user's number: rings, answers, audio both ways, callee hangs up", async () => {
    await evaluate(alice, `window.ep.call('${bob.number}')`);
    await waitForLog(bob, /^incoming:/, 'bob rings');
    assert.deepEqual((await log(bob))[0], `incoming:${alice.number}`, "caller id is the caller's number");
    await evaluate(bob, 'window.ep.answer()');
    await waitForLog(alice, /^confirmed$/, 'alice confirmed');
    await waitForAudio(alice);
    await waitForAudio(bob);
    await evaluate(bob, 'window.ep.hangUp()');
    await waitForLog(alice, /^ended:/, 'alice sees the hang-up');
  });

  test('both ends SIP: hold/unhold re-INVITEs and INFO cross between the two dialogs', async () => {
    await evaluate(alice, `window.ep.call('${bob.number}')`);
    await waitForLog(bob, /^incoming:/, 'bob rings');
    await evaluate(bob, 'window.ep.answer()');
    await waitForLog(alice, /^confirmed$/, 'alice confirmed');
    await waitForLog(bob, /^confirmed$/, 'bob confirmed');
    await evaluate(alice, 'window.ep.session.hold()');
    await waitForLog(alice, /^hold:local$/, 'alice holds');
    await waitForLog(bob, /^hold:remote$/, 'bob sees the hold (the re-INVITE reached him)');
    await evaluate(alice, 'window.ep.session.unhold()');
    await waitForLog(bob, /^unhold:remote$/, 'bob sees the unhold');
    const before = (await evaluate<{ packetsReceived: number }>(bob, 'window.ep.stats()')).packetsReceived;
    await waitFor(
      async () => (await evaluate<{ packetsReceived: number }>(bob, 'window.ep.stats()')).packetsReceived > before + 10,
      { description: 'audio flows again after unhold' },
    );
    await evaluate(bob, `window.ep.session.sendInfo('application/x-test', 'hello-alice')`);
    await waitForLog(alice, /^info:application\/x-test:hello-alice$/, 'alice receives the INFO');
    await evaluate(alice, 'window.ep.hangUp()');
    await waitForLog(bob, /^ended:/, 'bob sees the hang-up');
  });

  test('endpoint calls an outside number and hears the tone; the far end receives RTP', async () => {
    const outside = '+13125550199';
    await evaluate(alice, `window.ep.call('${outside}')`);
    await waitForLog(alice, /^confirmed$/, 'alice confirmed');
    await waitForAudio(alice);
    const farEnd = await waitFor(
      async () => {
        const calls = (await (await fetch(`${sandbox.baseUrl}/sandbox/calls`)).json()) as any[];
        const leg = calls.find((c) => c.to === outside && c.farEnd?.kind === 'outside-phone' && c.media?.rtpIn > 0);
        return leg ?? null;
      },
      { timeoutMs: 15_000, description: 'far end rtpIn > 0' },
    );
    assert.equal(farEnd.from, alice.number, "the outside phone sees the user's number as caller id");
    await evaluate(alice, 'window.ep.hangUp()');
    await waitFor(
      async () => {
        const leg = (await (await fetch(`${sandbox.baseUrl}/sandbox/calls/${farEnd.id}`)).json()) as any;
        return leg.state === 'completed';
      },
      { description: 'far end leg completed' },
    );
  });

  test("an outside phone calls a user's number: the endpoint rings, answers and hears the tone", async () => {
    const response = await fetch(`${sandbox.baseUrl}/sandbox/calls/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: '+13125550111', to: alice.number }),
    });
    assert.equal(response.status, 201);
    const { callId } = (await response.json()) as { callId: string };
    await waitForLog(alice, /^incoming:/, 'alice rings');
    await evaluate(alice, 'window.ep.answer()');
    await waitForLog(alice, /^confirmed$/, 'alice confirmed');
    await waitForAudio(alice);
    await waitFor(
      async () => {
        const leg = (await (await fetch(`${sandbox.baseUrl}/sandbox/calls/${callId}`)).json()) as any;
        return leg.media?.rtpIn > 0;
      },
      { timeoutMs: 15_000, description: "the outside phone receives the browser's audio" },
    );
    await evaluate(alice, 'window.ep.hangUp()');
    await waitFor(
      async () => {
        const leg = (await (await fetch(`${sandbox.baseUrl}/sandbox/calls/${callId}`)).json()) as any;
        return leg.state === 'completed';
      },
      { description: 'inbound leg completed' },
    );
  });

  test('caller cancels while the callee rings: both sides fail', async () => {
    await evaluate(alice, `window.ep.call('${bob.number}')`);
    await waitForLog(bob, /^incoming:/, 'bob rings');
    await evaluate(alice, 'window.ep.hangUp()');
    await waitForLog(alice, /^failed:Canceled$/, 'alice cancelled');
    await waitForLog(bob, /^failed:/, 'bob stops ringing');
  });

  test("caller cancels while the app's webhook is still deciding (slow webhook)", async () => {
    webhookDelayMs = 1500;
    try {
      await evaluate(alice, `window.ep.call('${bob.number}')`);
      await waitFor(
        async () => {
          const calls = (await (await fetch(`${sandbox.baseUrl}/sandbox/calls`)).json()) as any[];
          return calls.find((c) => c.from === alice.endpoint.sipUri && c.state === 'active');
        },
        { description: 'the call reached the model' },
      );
      await evaluate(alice, 'window.ep.hangUp()');
      await waitForLog(alice, /^failed:Canceled$/, 'alice cancelled');
      await new Promise((resolve) => setTimeout(resolve, 2000)); // the late transfer attempt happens here
      assert.deepEqual(
        (await log(bob)).filter((e) => e.startsWith('incoming')),
        [],
        'bob never rang',
      );
    } finally {
      webhookDelayMs = 0;
    }
  });

  test("the outside-phone page: registers with the keyboard, rings for a user's call, answers, has audio", async () => {
    const page = await (await newTestContext(browser)).newPage();
    await page.goto(`${sandbox.baseUrl}/sandbox/phone`);
    await page.getByLabel('My phone number (E.164)').fill('+19995550100');
    await page.getByLabel('My phone number (E.164)').press('Enter');
    await page.getByRole('status').filter({ hasText: 'Registered as +19995550100' }).waitFor();
    const regs = await api.registrations();
    assert.ok(regs.some((r) => r.aor === 'sip:+19995550100@pstn.sandbox.invalid' && r.kind === 'outside-phone'));

    assert.equal(await page.getByRole('button', { name: 'Answer' }).isVisible(), false, 'no Answer button while idle');
    await evaluate(alice, `window.ep.call('+19995550100')`);
    await page.getByText(`Incoming call from ${alice.number}`).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Answer' }).isVisible(), true);
    await page.getByRole('button', { name: 'Answer' }).click();
    await waitForLog(alice, /^confirmed$/, 'alice confirmed');
    await waitForAudio(alice);
    await page.getByRole('status').filter({ hasText: 'In call with' }).waitFor();
    await page.getByRole('button', { name: 'Hang up' }).click();
    await waitForLog(alice, /^ended:/, 'alice sees the page hang up');

    // And the page calls a user's number, by keyboard.
    await page.getByLabel('Number to call').fill(bob.number);
    await page.getByLabel('Number to call').press('Enter');
    await waitForLog(bob, /^incoming:\+19995550100$/, 'bob rings with the outside caller id');
    await evaluate(bob, 'window.ep.answer()');
    await waitForLog(bob, /^confirmed$/, 'bob confirmed');
    await waitForAudio(bob);
    await page.getByRole('status').filter({ hasText: 'In call with' }).waitFor();
    await evaluate(bob, 'window.ep.hangUp()');
    await page.getByRole('status').filter({ hasText: 'Call ended' }).waitFor();
  });
  test('the outside-phone page: a valid default number, Connect as another number after Disconnect, national format', async () => {
    const page = await (await newTestContext(browser)).newPage();
    await page.goto(`${sandbox.baseUrl}/sandbox/phone`);
    const field = page.getByLabel('My phone number (E.164)');
    const defaultNumber = await field.inputValue();
    // The README's demo calls this number back from the dialpad, which refuses numbers that cannot exist.
    assert.deepEqual(checkDialledNumber(defaultNumber, { allowedCountries: ['US'], allowTollFree: false }), {
      ok: true,
      e164: defaultNumber,
      country: 'US',
    });
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    const status = page.getByRole('status');
    await status.filter({ hasText: `Registered as ${defaultNumber}` }).waitFor();

    await page.getByRole('button', { name: 'Disconnect' }).click();
    await status.filter({ hasText: 'Not connected' }).waitFor();
    await field.fill('+12125550123');
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await status.filter({ hasText: 'Registered as +12125550123' }).waitFor();
    // The first number's socket closes after this: the page stays registered as the new number.
    await page.waitForTimeout(2_500);
    assert.equal(await status.innerText(), 'Registered as +12125550123');
    const aors = (await api.registrations()).map((binding) => binding.aor);
    assert.ok(aors.includes('sip:+12125550123@pstn.sandbox.invalid'), aors.join(', '));

    // A user's number as the dialpad shows it: (919) 555-0123.
    const national = `(${bob.number.slice(2, 5)}) ${bob.number.slice(5, 8)}-${bob.number.slice(8)}`;
    await page.getByLabel('Number to call').fill(national);
    await page.getByLabel('Number to call').press('Enter');
    await waitForLog(bob, /^incoming:\+12125550123$/, 'bob rings from the national-format dial');
    await evaluate(bob, 'window.ep.answer()');
    await waitForLog(bob, /^confirmed$/, 'bob confirmed');
    await waitForAudio(bob);
    await evaluate(bob, 'window.ep.hangUp()');
    await status.filter({ hasText: 'Call ended' }).waitFor();
    await page.context().close();
  });
});
