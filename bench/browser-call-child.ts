// Figure 4, run inside a loopback-only network namespace (see browser-call.ts): the whole stack
// with the dialpad, one person signed up through the UI, and the sandbox's outside-phone page as
// the far end, all pages in one headless Chromium (one clock). Per call it times, in the pages:
// - "Call" clicked → the far end's JsSIP sees the incoming INVITE (ringing);
// - "Answer" clicked on the far end → the first inbound audio RTP packet at the caller.
// The floor: the same far end called by a second outside-phone page through a number of the bare
// floor webhook (figure 1's: one point read, one transfer POST): the same SIP and transfer path
// through the sandbox without the app's webhook and without the dialpad.
// With BENCH_PROVIDER=bandwidth it measures the same on Bandwidth In-App Calling instead
// (bandwidth/bw-browser-call.ts says how). Prints `RESULT <json>` on stdout.
import type { Page } from 'playwright-core';
import { TableClient } from '@azure/data-tables';
import { startStack, type Stack } from '../dev/stack';
import { launchChromium, newTestContext, waitFor } from '../tests/e2e/support/chromium';
import { signUpThroughUi, waitRegistered } from '../tests/e2e/support/dialpad-page';
import { BENCH_LIMITS } from './bench-limits';
import { setUpFloor } from './floor-setup';
import { startFloorWebhookServer } from './floor-webhook-server';
import { measureBandwidthBrowserCalls } from './bandwidth/bw-browser-call';
import type { BrowserCallSample } from './browser-call-sample';
import { collectSamples, firstAudioAt, PAGE_CLOCK, watchFirstAudio } from './browser-call-sampling';
import { SandboxClient } from './sandbox-client';

// Exchange 555 is never in the sandbox inventory: these are outside phones.
const FAR_END = '+19195550142';
/** The floor's caller: another outside phone, calling the floor webhook's number. */
const FLOOR_CALLER = '+19195550143';
const CALLS = Number(process.env.BENCH_BROWSER_CALLS ?? 11); // the first one is a warm-up

/** Who places the call: the dialpad (the app's path) or a second outside phone (the floor). */
interface Caller {
  page: Page;
  /** What it dials to reach the far end. */
  target: string;
  dial(number: string): Promise<void>;
  /** A page expression giving the caller's RTCPeerConnection, or a falsy value. */
  peerConnection: string;
  hangUp(): Promise<void>;
  waitIdle(): Promise<void>;
}

async function main(): Promise<void> {
  const provider = process.env.BENCH_PROVIDER === 'bandwidth' ? 'bandwidth' : 'catapult';
  // window.__dialpad, for getStats()
  const stack = await startStack({ web: true, dialpadTestHooks: true, provider, env: { ...BENCH_LIMITS } });
  const browser = await launchChromium();
  stops.push(
    () => browser.close(),
    () => stack.stop(),
  );
  let shown: Page | undefined;
  try {
    const context = await newTestContext(browser);
    const dialpad = await context.newPage();
    shown = dialpad;
    await dialpad.goto(stack.webUrl!);
    await dialpad.evaluate(PAGE_CLOCK);
    await signUpThroughUi(dialpad, `bench${Date.now().toString(36)}`, { areaCode: '919' });
    await waitRegistered(dialpad);
    if (provider === 'bandwidth') {
      const samples = await measureBandwidthBrowserCalls(stack, dialpad, CALLS, stops);
      process.stdout.write(`RESULT ${JSON.stringify(samples)}\n`);
      return;
    }
    const floorNumber = await startFloor(stack);
    const phoneUrl = `${stack.sandbox!.baseUrl}/sandbox/phone`;
    const farEnd = await outsidePhone(await context.newPage(), phoneUrl, FAR_END);
    const floorPhone = await outsidePhone(await context.newPage(), phoneUrl, FLOOR_CALLER);
    // The far end's ringing moment: its UA sees the INVITE (what a phone's ringer reacts to).
    await farEnd.evaluate(`
      globalThis.outsidePhone.ua.on('newRTCSession', ({ originator }) => {
        if (originator === 'remote') globalThis.__ringingAt = globalThis.__now();
      });
    `);
    const app: Caller = {
      page: dialpad,
      target: FAR_END,
      dial: async (number) => {
        await dialpad.getByLabel('Phone number').fill(number);
        await dialpad.getByRole('button', { name: 'Call', exact: true }).click();
      },
      peerConnection: 'globalThis.__dialpad && globalThis.__dialpad.peerConnection',
      hangUp: () => dialpad.getByRole('button', { name: 'Hang up' }).click(),
      waitIdle: () => dialpad.getByRole('button', { name: 'Call', exact: true }).waitFor({ timeout: 20_000 }),
    };
    const floor: Caller = {
      page: floorPhone,
      target: floorNumber,
      dial: async (number) => {
        await floorPhone.getByLabel('Number to call').fill(number);
        await floorPhone.getByRole('button', { name: 'Call', exact: true }).click();
      },
      peerConnection: 'globalThis.outsidePhone.session && globalThis.outsidePhone.session.connection',
      hangUp: () => floorPhone.getByRole('button', { name: 'Hang up' }).click(),
      waitIdle: () => phoneIdle(floorPhone),
    };

    const samples = await collectSamples(CALLS, (side) => oneCall(side === 'app' ? app : floor, farEnd));
    process.stdout.write(`RESULT ${JSON.stringify(samples)}\n`);
  } catch (error) {
    // What the person would see: an error banner, or which screen it was stuck on.
    const screen = await shown
      ?.evaluate<string>("document.body.innerText.replace(/\\s+/g, ' ').slice(0, 300)")
      .catch(() => undefined);
    if (screen !== undefined && error instanceof Error) error.message += ` [the dialpad shows: ${screen}]`;
    throw error;
  } finally {
    for (const stop of stops) await stop().catch(() => undefined);
  }
}

const stops: Array<() => Promise<void>> = [];
// The parent's timeout sends SIGTERM: stop Chromium, the stack and Azurite before going.
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    void (async () => {
      for (const stop of stops) await stop().catch(() => undefined);
      process.exit(1);
    })();
  });
}

/** The floor webhook server with one number whose calls it transfers to FAR_END; returns the number. */
async function startFloor(stack: Stack): Promise<string> {
  const sandbox = new SandboxClient(stack.sandbox!.baseUrl, stack.sandbox!.account);
  const server = await startFloorWebhookServer({
    table: TableClient.fromConnectionString(stack.storageConnectionString, 'benchfloor', {
      allowInsecureConnection: true,
    }),
    catapultApiUrl: stack.sandbox!.apiUrl,
    ...stack.sandbox!.account,
  });
  stops.unshift(() => server.close());
  const setup = await setUpFloor({
    sandbox,
    storageConnectionString: stack.storageConnectionString,
    eventsUrl: `${server.url}/events`,
    lines: 1,
    areaCode: '984',
    transferInboundTo: FAR_END,
  });
  return setup.lines[0]!.number;
}

/** The sandbox's outside-phone page, registered as `number`. */
async function outsidePhone(page: Page, url: string, number: string): Promise<Page> {
  await page.goto(url);
  await page.evaluate(PAGE_CLOCK);
  await page.getByLabel('My phone number (E.164)').fill(number);
  await page.getByLabel('My phone number (E.164)').press('Enter');
  await page
    .getByRole('status')
    .filter({ hasText: `Registered as ${number}` })
    .waitFor();
  return page;
}

async function phoneIdle(page: Page): Promise<void> {
  await waitFor(() => page.evaluate<boolean>("globalThis.outsidePhone.call === 'idle'"), {
    timeoutMs: 20_000,
    intervalMs: 20,
    description: 'outside phone idle',
  });
}

async function oneCall(caller: Caller, farEnd: Page): Promise<BrowserCallSample> {
  await farEnd.evaluate('globalThis.__ringingAt = undefined; globalThis.__clicks = {}');
  await caller.page.evaluate('globalThis.__clicks = {}');
  await caller.dial(caller.target);
  await farEnd.getByRole('button', { name: 'Answer' }).waitFor({ timeout: 20_000 });
  const ringingAt = await farEnd.evaluate<number>('globalThis.__ringingAt');
  const clickedAt = await caller.page.evaluate<number>('globalThis.__clicks.Call');

  await watchFirstAudio(caller.page, caller.peerConnection);
  await farEnd.getByRole('button', { name: 'Answer' }).click();
  const audioAt = await firstAudioAt(caller.page);
  const answeredAt = await farEnd.evaluate<number>('globalThis.__clicks.Answer');

  await caller.hangUp();
  await Promise.all([phoneIdle(farEnd), caller.waitIdle()]);
  return { ringingMs: ringingAt - clickedAt, audioMs: audioAt - answeredAt };
}

main().catch((error: unknown) => {
  process.stderr.write(
    `browser call bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
