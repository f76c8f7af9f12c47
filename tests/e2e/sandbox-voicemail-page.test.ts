// The outside-phone page leaves a voicemail in real Chromium, on Catapult and on Bandwidth. Catapult: it calls a number whose app answers and
// never transfers; the app speaks and records (Catapult's own media answers the page's offer), the page's keypad
// sends digits (SIP INFO → dtmf events), the page hangs up, and the recording holds the page's microphone audio
// (Chromium's fake device). Bandwidth: the page calls a Voice API number whose BXML records until `#`.
// Run it loopback-only:
//   unshare -n sh -c 'ip link set lo up; node --import tsx --test tests/e2e/sandbox-voicemail-page.test.ts'
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { createSandbox, type Sandbox } from '../../sandbox/server';
import { decodeWav } from '../../sandbox/media/wav';
import { startWebhooks, type Webhooks } from '../integration/sandbox/calls-harness';
import { startBandwidth } from '../integration/sandbox/bandwidth/bw-harness';
import { startTestApp } from '../integration/sandbox/bandwidth/bw-app';
import { launchChromium, newTestContext, waitFor } from './support/chromium';

let sandbox: Sandbox;
let hooks: Webhooks;
let browser: Browser;
let number: string;
let api: (method: string, path: string, body?: unknown) => Promise<{ status: number; json: any; body: Buffer }>;

before(async () => {
  sandbox = await createSandbox({ seed: 'voicemail-page' });
  hooks = await startWebhooks();
  browser = await launchChromium();
  const auth = `Basic ${Buffer.from(`${sandbox.account.apiToken}:${sandbox.account.apiSecret}`).toString('base64')}`;
  api = async (method, path, body) => {
    const response = await fetch(
      path.startsWith('http') ? path : `${sandbox.apiUrl}/users/${sandbox.account.userId}${path}`,
      {
        method,
        headers: { authorization: auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      },
    );
    const raw = Buffer.from(await response.arrayBuffer());
    let json: any;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      json = undefined;
    }
    return { status: response.status, json, body: raw };
  };
  const app = await api('POST', '/applications', { name: 'vm', incomingCallUrl: `${hooks.url}/vm`, autoAnswer: true });
  assert.equal(app.status, 201);
  const order = await api('POST', `${sandbox.apiUrl}/availableNumbers/local?areaCode=919&quantity=1`);
  number = order.json[0].number;
  const numberId = String(order.json[0].location).split('/').pop();
  const applicationId = (await api('GET', '/applications')).json[0].id;
  assert.equal((await api('POST', `/phoneNumbers/${numberId}`, { applicationId })).status, 200);
});
after(async () => {
  await browser?.close();
  await hooks?.close();
  await sandbox?.close();
});

test('the outside-phone page leaves a message: it hears the greeting, its keys arrive, its voice is recorded', async () => {
  const page = await (await newTestContext(browser)).newPage();
  await page.goto(`${sandbox.baseUrl}/sandbox/phone`);
  await page.getByLabel('My phone number (E.164)').fill('+12125550177');
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'Registered as +12125550177' }).waitFor();
  await page.getByLabel('Number to call').fill(number);
  await page.getByLabel('Number to call').press('Enter');

  const answer = await hooks.waitFor((hook) => hook.body?.eventType === 'answer', 10_000);
  const callId: string = answer.body.callId;
  // The app's greeting: Catapult answers the page's offer itself, so the page connects and hears it.
  assert.equal(
    (await api('POST', `/calls/${callId}/audio`, { sentence: 'Leave a message', tag: 'greeting' })).status,
    200,
  );
  await page.getByRole('status').filter({ hasText: 'In call with' }).waitFor({ timeout: 10_000 });
  await hooks.waitFor((hook) => hook.body?.eventType === 'speak' && hook.body.status === 'done', 10_000);
  assert.equal((await api('POST', `/calls/${callId}`, { recordingEnabled: true })).status, 200);

  await page.waitForTimeout(3000); // the page's microphone (Chromium's fake device) speaks
  await page.getByRole('button', { name: '5', exact: true }).click();
  await page.getByRole('button', { name: 'Pound' }).click();
  const digits = await waitFor(
    () => {
      const seen = hooks.events('/vm').filter((e) => e.eventType === 'dtmf' && e.callId === callId);
      return seen.length === 2 ? seen.map((e) => e.dtmfDigit).join('') : undefined;
    },
    { timeoutMs: 5000, description: 'two dtmf events' },
  );
  assert.equal(digits, '5#');
  await page.getByRole('button', { name: 'Hang up' }).click();

  const recorded = await hooks.waitFor((hook) => hook.body?.eventType === 'recording', 10_000);
  const recording = await api('GET', `/recordings/${recorded.body.recordingId}`);
  const media = await api('GET', recording.json.media);
  assert.equal(media.status, 200);
  const { seconds, loud } = loudFrames(media.body);
  assert.ok(seconds > 2.5, `${seconds} s`);
  // Chromium's fake microphone beeps a few times a second: a good share of 3 s is loud (silence gives none).
  assert.ok(loud >= 15, `the recording has ${loud} loud 20 ms frames`);
  await page.context().close();
});

/** Loud 20 ms frames of a WAV (RMS over 300 of 16-bit). */
function loudFrames(wav: Buffer): { seconds: number; loud: number } {
  const { samples } = decodeWav(wav);
  let loud = 0;
  for (let i = 0; i + 160 <= samples.length; i += 160) {
    let energy = 0;
    for (let j = i; j < i + 160; j += 1) energy += samples[j]! * samples[j]!;
    if (Math.sqrt(energy / 160) > 300) loud += 1;
  }
  return { seconds: samples.length / 8000, loud };
}

test('on Bandwidth the page calls a Voice API number, Record takes its voice, its # ends the message', async () => {
  const h = await startBandwidth({ seed: 'voicemail-page-bw' });
  const app = await startTestApp();
  try {
    const line = await h.provision({ callbackUrl: `${app.url}/initiate`, userId: 'hooks', password: 'hook-secret' });
    app.on(
      '/initiate',
      () =>
        '<Response><SpeakSentence>Leave a message</SpeakSentence>' +
        '<Record maxDuration="180" terminatingDigits="#" recordingAvailableUrl="/available"/>' +
        '<SpeakSentence>Bye</SpeakSentence><Hangup/></Response>',
    );
    const page = await (await newTestContext(browser)).newPage();
    await page.goto(`${h.sandbox.baseUrl}/sandbox/phone`);
    await page.getByLabel('My phone number (E.164)').fill('+12125550178');
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Registered as +12125550178' }).waitFor();
    await page.getByLabel('Number to call').fill(line.number);
    await page.getByLabel('Number to call').press('Enter');
    await page.getByRole('status').filter({ hasText: 'In call with' }).waitFor({ timeout: 10_000 });
    await page.waitForTimeout(1000 + 3000); // the greeting (1 s), then the page speaks for 3 s
    await page.getByRole('button', { name: 'Pound' }).click();
    const available = await app.waitFor((hook) => hook.body.eventType === 'recordingAvailable', 10_000);
    const length = Number(/^PT([\d.]+)S$/.exec(available.body.duration)![1]);
    assert.ok(length > 2.5 && length < 4.5, `recorded ${length} s`);
    // The document went on after the # (Bye, Hangup): the page's call ends.
    await page.getByRole('status').filter({ hasText: 'Call ended' }).waitFor({ timeout: 10_000 });
    const media = await fetch(available.body.mediaUrl, { headers: { Authorization: `Bearer ${await h.token()}` } });
    assert.equal(media.status, 200);
    const heard = loudFrames(Buffer.from(await media.arrayBuffer()));
    assert.ok(heard.loud >= 15, `the recording has ${heard.loud} loud 20 ms frames`);
    app.assertAllValid();
    await page.context().close();
  } finally {
    await app.close();
    await h.close();
  }
});
