// What the softphone browser tests share: people signed up through the API (the sign-up UI has its own journey)
// whose dialpads open already logged in, with notification and microphone permission granted in their browser
// context; the sandbox's outside phones; and readings of what a page plays and sends.
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import type { SessionResponse, UserView } from '../../../core/api-types';
import type { Stack } from '../../../dev/stack';
import { callApi } from '../../support/api-client';
import { firstOffer } from '../../support/stack-fixture';
import { newTestContext, waitFor } from './chromium';
import { waitRegistered } from './dialpad-page';

export interface Person extends UserView {
  token: string;
  /** The session sign-up opened (access and refresh tokens), as the dialpad keeps it. */
  session: SessionResponse;
}

/** Signs `username` up through the API with the first 919 number a search offers (each test file has a stack of its own). */
export async function signUp(stack: Stack, username: string): Promise<Person> {
  const { number, signature } = await firstOffer(stack.apiUrl);
  const res = await callApi<SessionResponse>(stack.apiUrl, 'POST', '/api/users', {
    body: { username, number, signature },
  });
  if (res.status !== 201) throw new Error(`sign-up failed: ${res.status} ${JSON.stringify(res.json)}`);
  return { ...res.json.user, token: res.json.token, session: res.json };
}

export interface OpenOptions extends BrowserContextOptions {
  /** Runs before the dialpad loads (e.g. page.routeWebSocket, which must be in place before the SIP socket opens). */
  beforeLoad?: (page: Page) => Promise<void>;
  /**
   * Browser permissions granted to the dialpad's origin; default notifications and the microphone. Chromium denies
   * every permission not granted (CDP Browser.grantPermissions), so `null` grants nothing and leaves them all
   * as a fresh profile has them (to be asked).
   */
  grant?: string[] | null;
  /** Wait until the phone is registered (default true). */
  registered?: boolean;
}

/** A dialpad of its own browser context, logged in as `person`. */
export async function openDialpad(browser: Browser, stack: Stack, person: Person, options: OpenOptions = {}) {
  const { beforeLoad, grant, registered, ...contextOptions } = options;
  const context = await newTestContext(browser, { viewport: { width: 1024, height: 820 }, ...contextOptions });
  if (grant !== null)
    await context.grantPermissions(grant ?? ['notifications', 'microphone'], { origin: stack.webUrl! });
  // The sign-up's own session; no passkey offer on the way to the phone (these tests are about calling).
  const session: SessionResponse = { ...person.session, passkeySetup: 'none' };
  await context.addInitScript((value: string) => {
    if (!localStorage.getItem('voice-ref.session')) localStorage.setItem('voice-ref.session', value);
  }, JSON.stringify(session));
  const page = await context.newPage();
  await beforeLoad?.(page);
  await page.goto(stack.webUrl!);
  if (registered ?? true) await waitRegistered(page);
  return page;
}

export async function dial(page: Page, number: string): Promise<void> {
  await page.getByLabel('Phone number').fill(number);
  await page.getByRole('button', { name: 'Call', exact: true }).click();
}

/** How the dialpad describes the last call, once it shows `pattern`. */
export async function waitLastCall(page: Page, pattern: RegExp, timeoutMs = 15_000): Promise<string> {
  let seen = '';
  return waitFor(
    async () => {
      seen = await page
        .getByTestId('last-call')
        .innerText({ timeout: 200 })
        .catch(() => '');
      return pattern.test(seen) ? seen : undefined;
    },
    { timeoutMs, description: `last call ${pattern}` },
  ).catch((error: unknown) => {
    throw new Error(`the last call never said ${pattern}; it said ${JSON.stringify(seen)}`, { cause: error });
  });
}

/** Counts the INVITEs a page sends on its SIP WebSocket (re-INVITEs too). */
export function countInvites(page: Page): () => number {
  let invites = 0;
  page.on('websocket', (socket) =>
    socket.on('framesent', (frame) => {
      if (String(frame.payload).startsWith('INVITE ')) invites += 1;
    }),
  );
  return () => invites;
}

/** How the sandbox's outside phone `number` behaves when rung (answer, busy, no-answer, manual), on either provider. */
export async function setOutsidePhone(stack: Stack, number: string, behaviour: string): Promise<void> {
  const control = stack.provider === 'bandwidth' ? '/sandbox/bandwidth' : '/sandbox';
  const response = await fetch(
    `${stack.sandbox!.baseUrl}${control}/phone-network/numbers/${encodeURIComponent(number)}`,
    { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ behaviour }) },
  );
  if (!response.ok) throw new Error(`phone behaviour: ${response.status} ${await response.text()}`);
}

export interface ToneReading {
  sinkId: string;
  playing: boolean;
  /** The loudest frequency heard while it sounded, Hz (0 when silent). */
  peakHz: number;
}

/**
 * What the phone's own sound of this kind (ring, ringback, waiting) is doing: the output it is sent to, and what
 * it sounds like, measured with Web Audio on the stream the element plays.
 */
export async function readTone(page: Page, kind: 'ring' | 'ringback' | 'waiting'): Promise<ToneReading | undefined> {
  // A string, not a function: this project has no DOM types, and the page needs nothing from Node.
  return page.evaluate(`(async () => {
    const element = document.querySelector('audio[data-tone="${kind}"]');
    if (!element) return undefined;
    const context = new AudioContext();
    await context.resume();
    const analyser = context.createAnalyser();
    analyser.fftSize = 8192;
    context.createMediaStreamSource(element.srcObject).connect(analyser);
    let peakHz = 0;
    let loudest = -Infinity;
    for (let sample = 0; sample < 8; sample++) {
      await new Promise((resolve) => setTimeout(resolve, 60));
      const bins = new Float32Array(analyser.frequencyBinCount);
      analyser.getFloatFrequencyData(bins);
      for (let bin = 1; bin < bins.length; bin++) {
        if (bins[bin] > loudest && bins[bin] > -70) {
          loudest = bins[bin];
          peakHz = (bin * context.sampleRate) / analyser.fftSize;
        }
      }
    }
    await context.close();
    return { sinkId: element.sinkId, playing: !element.paused, peakHz };
  })()`);
}

/** Runs `body` (JavaScript, may await) in the page and returns its result; for readings the tests' types lack. */
export function inPage<T>(page: Page, body: string): Promise<T> {
  return page.evaluate(`(async () => { ${body} })()`);
}
