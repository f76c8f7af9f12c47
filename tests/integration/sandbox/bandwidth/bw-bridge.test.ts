// The whole Bandwidth pattern with real audio through the sandbox's media relay: an outside tone phone calls the
// user's number and is parked (Ring + Redirect); an In-App Calling client calls in, its `initiate` (from the
// account's In-App number, with the INVITE's User-to-User header as `uui`) is answered with <Bridge>, and each side
// hears the other's 440 Hz tone. Also an In-App call transferred to an outside phone, with audio.
import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import { startBandwidth, type BwHarness, type Provisioned } from './bw-harness';
import { poll, startTestApp, type TestApp } from './bw-app';
import { connectInApp, type InAppClient } from './bw-inapp-client';

let h: BwHarness;
let app: TestApp;
let line: Provisioned;
let client: InAppClient;

before(async () => {
  h = await startBandwidth({ bandwidth: { inAppCallingNumber: '+19845550100' } });
  app = await startTestApp();
  line = await h.provision({ callbackUrl: `${app.url}/initiate`, statusUrl: `${app.url}/status` });
  client = await connectInApp(h.sandbox.bandwidth.gatewayUrl, await h.token('webrtc'));
});
afterEach(() => app.assertAllValid());
after(async () => {
  await client.close();
  await h.close();
  await app.close();
});

const view = async (callId: string) => (await h.control('GET', `/calls/${callId}`)).json;
const near = (hz: number, target: number) => Math.abs(hz - target) < 30;

test('park an outside caller, then an In-App call bridges to it: audio both ways', async () => {
  let parkedCallId = '';
  app.on('/initiate', (hook) => {
    if (hook.body.from === '+19195550121') {
      parkedCallId = hook.body.callId;
      return `<Response><Ring duration="0.5"/><Redirect redirectUrl="${app.url}/park"/></Response>`;
    }
    if (hook.body.from === '+19845550100')
      return `<Response><Bridge bridgeCompleteUrl="${app.url}/bridged">${parkedCallId}</Bridge></Response>`;
    return undefined;
  });
  app.on('/park', () => `<Response><Ring duration="0.5"/><Redirect redirectUrl="${app.url}/park"/></Response>`);
  const placed = await h.control('POST', '/calls/inbound', { from: '+19195550121', to: line.number });
  const outsideId = placed.json.callId as string;
  await app.waitFor((hook) => hook.path === '/park' && hook.body.callId === outsideId);

  const inApp = await client.call(line.number, { uui: 'c2lnbmVkLXRva2Vu;encoding=base64' });
  const initiate = await app.waitFor((hook) => hook.path === '/initiate' && hook.body.from === '+19845550100');
  assert.equal(initiate.body.to, line.number);
  assert.equal(initiate.body.uui, 'c2lnbmVkLXRva2Vu;encoding=base64', 'the INVITE’s User-to-User header');
  assert.equal(initiate.body.applicationId, line.applicationId, 'the first Voice-V2 application takes In-App calls');
  assert.equal((await inApp.final).status, 200);

  const audio = await poll(
    async () => {
      const outside = (await view(outsideId)).farEnd.audioIn;
      const browser = inApp.tone.audioIn();
      return outside.loudFrames > 25 && browser.loudFrames > 25 ? { outside, browser } : undefined;
    },
    10_000,
    'audio both ways through the bridge',
  );
  assert.ok(near(audio.outside.lastFrequencyHz, 440), `the outside caller hears ${audio.outside.lastFrequencyHz} Hz`);
  assert.ok(near(audio.browser.lastFrequencyHz, 440), `the In-App client hears ${audio.browser.lastFrequencyHz} Hz`);
  const inAppCallId = initiate.body.callId as string;
  assert.equal((await view(inAppCallId)).bridgedWith, outsideId);
  assert.equal((await view(outsideId)).media.relayedIn > 0, true);

  // The outside caller hangs up: the In-App call's <Bridge> completes (bridgeComplete), its document ends.
  await h.control('POST', `/calls/${outsideId}/hangup`);
  const bridged = await app.waitFor((hook) => hook.path === '/bridged');
  assert.equal(bridged.body.eventType, 'bridgeComplete');
  assert.equal(bridged.body.callId, inAppCallId);
  await inApp.byeReceived;
  const ends = await poll(
    () => {
      const found = app.hooks.filter(
        (hook) => hook.body.eventType === 'disconnect' && [outsideId, inAppCallId].includes(hook.body.callId),
      );
      return found.length === 2 ? found : undefined;
    },
    5000,
    'both disconnects',
  );
  assert.deepEqual(ends.map((hook) => hook.body.cause).sort(), ['hangup', 'hangup']);
});

test('a parked caller whose bridge partner (the In-App client) hangs up is hung up too', async () => {
  let parkedCallId = '';
  app.on('/initiate', (hook) => {
    if (hook.body.from === '+19195550122') {
      parkedCallId = hook.body.callId;
      return `<Response><Ring duration="0.5"/><Redirect redirectUrl="${app.url}/park"/></Response>`;
    }
    if (hook.body.from === '+19845550100') return `<Response><Bridge>${parkedCallId}</Bridge></Response>`;
    return undefined;
  });
  const outsideId = (await h.control('POST', '/calls/inbound', { from: '+19195550122', to: line.number })).json
    .callId as string;
  await app.waitFor((hook) => hook.path === '/park' && hook.body.callId === outsideId);
  const inApp = await client.call(line.number);
  assert.equal((await inApp.final).status, 200);
  await poll(async () => ((await view(outsideId)).bridgedWith ? true : undefined), 5000, 'bridged');
  inApp.hangUp();
  const end = await app.waitFor((hook) => hook.body.eventType === 'disconnect' && hook.body.callId === outsideId);
  assert.equal(end.body.cause, 'hangup');
  assert.equal((await view(outsideId)).farEnd.state, 'ended');
});

test('an In-App call transferred to an outside phone: the client hears the phone, the phone hears the client', async () => {
  app.on('/initiate', (hook) =>
    hook.body.from === '+19845550100' && hook.body.to === '+19195550130'
      ? `<Response><Transfer transferCallerId="${line.number}"><PhoneNumber>+19195550130</PhoneNumber></Transfer></Response>`
      : undefined,
  );
  const inApp = await client.call('+19195550130');
  assert.equal((await inApp.final).status, 200);
  const initiate = await app.waitFor((hook) => hook.path === '/initiate' && hook.body.to === '+19195550130');
  const callId = initiate.body.callId as string;
  const legId = await poll(
    async () => (await view(callId)).transferLegs[0] as string | undefined,
    5000,
    'the transfer leg',
  );
  const audio = await poll(
    async () => {
      const phone = (await view(legId)).farEnd.audioIn;
      const browser = inApp.tone.audioIn();
      return phone.loudFrames > 25 && browser.loudFrames > 25 ? { phone, browser } : undefined;
    },
    10_000,
    'audio both ways through the transfer',
  );
  assert.ok(near(audio.phone.lastFrequencyHz, 440) && near(audio.browser.lastFrequencyHz, 440));
  const leg = await view(legId);
  assert.equal(leg.from, line.number, 'the phone sees the transferCallerId');
  inApp.hangUp();
  const end = await app.waitFor((hook) => hook.body.eventType === 'disconnect' && hook.body.callId === callId);
  assert.equal(end.body.cause, 'hangup');
  await poll(async () => ((await view(legId)).farEnd.state === 'ended' ? true : undefined), 5000, 'the phone hung up');
});
