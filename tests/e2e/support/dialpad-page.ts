// Drives the dialpad like a person would, for the browser tests: sign up, log in, dial, answer,
// and read the peer connection's stats through the read-only window.__dialpad handle.
import type { Page } from 'playwright-core';
import type { SessionResponse } from '../../../core/api-types';
import { waitFor } from './chromium';

export interface SignedUpUser {
  username: string;
  number: string; // E.164
  nationalNumber: string;
}

export type SearchBy = { areaCode: string } | { zip: string } | { city: string; state: string };

/**
 * `onStep` lets a test look at (screenshot) the form before searching and the results before ordering.
 * `passkeyOffer`: 'decline' (default) answers the offer after sign-up with "Not now"; 'leave' stops on it.
 */
export async function signUpThroughUi(
  page: Page,
  username: string,
  search: SearchBy,
  onStep?: (step: 'form' | 'results') => Promise<void>,
  passkeyOffer: 'decline' | 'leave' = 'decline',
): Promise<SignedUpUser> {
  const onLogin = await page
    .getByRole('button', { name: 'Create an account' })
    .isVisible()
    .catch(() => false);
  if (onLogin) await page.getByRole('button', { name: 'Create an account' }).click();
  await page.getByRole('heading', { name: 'Create your account' }).waitFor();
  await page.getByLabel('Username').fill(username);
  if ('areaCode' in search) {
    await page.getByRole('textbox', { name: 'Area code' }).fill(search.areaCode);
  } else if ('zip' in search) {
    await page.getByRole('radio', { name: 'ZIP' }).check();
    await page.getByRole('textbox', { name: 'ZIP code' }).fill(search.zip);
  } else {
    await page.getByRole('radio', { name: 'City & state' }).check();
    await page.getByRole('textbox', { name: 'City' }).fill(search.city);
    await page.getByRole('textbox', { name: 'State' }).fill(search.state);
  }
  await onStep?.('form');
  await page.getByRole('button', { name: 'Search' }).click();
  const order = page.getByRole('button', { name: /^Get / });
  await order.waitFor();
  await onStep?.('results');
  await order.click();
  await page.getByTestId('my-number').waitFor({ timeout: 20_000 });
  // Where passkeys are on, sign-up ends with the passkey offer: these journeys decline it ("without a passkey
  // the journey is unchanged"); tests/e2e/app-passkeys.test.ts takes it up.
  await page.getByRole('heading', { name: 'Protect your account with a passkey' }).waitFor();
  if (passkeyOffer === 'decline') await page.getByRole('button', { name: 'Not now' }).click();
  const session = await storedSession(page);
  if (!session) throw new Error('signed up but no session stored');
  return { username, number: session.user.number, nationalNumber: session.user.nationalNumber };
}

export async function logInThroughUi(page: Page, username: string): Promise<void> {
  await page.getByLabel('Username').fill(username);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
}

export async function storedSession(page: Page): Promise<SessionResponse | undefined> {
  const raw = await page.evaluate(() => localStorage.getItem('voice-ref.session'));
  return raw ? (JSON.parse(raw) as SessionResponse) : undefined;
}

export async function waitRegistered(page: Page): Promise<void> {
  await waitFor(
    async () => (await page.getByTestId('registration-status').getAttribute('data-state')) === 'registered',
    {
      timeoutMs: 15_000,
      description: 'SIP registration',
    },
  );
}

export async function waitCallState(page: Page, state: string, timeoutMs = 15_000): Promise<void> {
  await waitFor(
    async () =>
      (await page
        .getByTestId('call-panel')
        .getAttribute('data-state')
        .catch(() => null)) === state,
    {
      timeoutMs,
      description: `call state ${state}`,
    },
  );
}

/** The call is over: the call panel is gone and the dial form says how the last call ended. */
export async function waitCallEnded(page: Page, timeoutMs = 15_000): Promise<void> {
  await waitFor(
    async () =>
      (await page.getByTestId('call-panel').count()) === 0 && (await page.getByTestId('last-call').count()) === 1,
    { timeoutMs, description: 'the call ended' },
  );
}

export interface InboundAudio {
  packetsReceived: number;
  totalAudioEnergy: number;
}

/** The inbound audio RTP stats of the current call, or undefined without one. */
/** What the tests use of the page's RTCPeerConnection (the Node typecheck has no DOM types). */
export interface PagePeerConnection {
  getStats(): Promise<{
    forEach(
      callback: (entry: { type: string; kind?: string; packetsReceived?: number; totalAudioEnergy?: number }) => void,
    ): void;
  }>;
  getSenders(): Array<{ track: { kind: string; enabled: boolean } | null }>;
}

/** The inbound audio RTP stats of the current call, or undefined without one. */
/** What the tests use of the page's RTCPeerConnection (the Node typecheck has no DOM types). */
export interface PagePeerConnection {
  getStats(): Promise<{
    forEach(
      callback: (entry: { type: string; kind?: string; packetsReceived?: number; totalAudioEnergy?: number }) => void,
    ): void;
  }>;
  getSenders(): Array<{ track: { kind: string; enabled: boolean } | null }>;
}

/** The inbound audio RTP stats of the current call, or undefined without one. */
export async function inboundAudio(page: Page): Promise<InboundAudio | undefined> {
  return page.evaluate(async () => {
    const handle = (globalThis as unknown as { __dialpad?: { peerConnection?: PagePeerConnection } }).__dialpad;
    const connection = handle?.peerConnection;
    if (!connection) return undefined;
    const report = await connection.getStats();
    let found: { packetsReceived: number; totalAudioEnergy: number } | undefined;
    report.forEach((entry) => {
      if (entry.type === 'inbound-rtp' && entry.kind === 'audio') {
        found = { packetsReceived: entry.packetsReceived ?? 0, totalAudioEnergy: entry.totalAudioEnergy ?? 0 };
      }
    });
    return found;
  });
}

/** Waits until audio with real content (energy, not just packets) arrives on this page. */
export async function waitForAudio(page: Page, description: string): Promise<InboundAudio> {
  return waitFor(
    async () => {
      const audio = await inboundAudio(page);
      return audio && audio.packetsReceived > 0 && audio.totalAudioEnergy > 0 ? audio : undefined;
    },
    { timeoutMs: 15_000, intervalMs: 100, description },
  );
}

/**
 * Init script that keeps every WebSocket the page opens in `__testSockets`, so a test can drop the
 * SIP connection the way a network failure would (Playwright's offline mode leaves open sockets alone).
 */
export const TRACK_WEBSOCKETS_SCRIPT = `
  (() => {
    const Native = globalThis.WebSocket;
    const sockets = (globalThis.__testSockets = []);
    globalThis.WebSocket = class extends Native {
      constructor(...args) { super(...args); sockets.push(this); }
    };
  })();
`;

/** Closes the page's open WebSockets (see TRACK_WEBSOCKETS_SCRIPT); returns how many were open. */
export async function dropWebSockets(page: Page): Promise<number> {
  return page.evaluate(() => {
    const sockets =
      (globalThis as unknown as { __testSockets?: Array<{ readyState: number; close(): void }> }).__testSockets ?? [];
    const open = sockets.filter((socket) => socket.readyState === 1);
    for (const socket of open) socket.close();
    return open.length;
  });
}

/**
 * The loudest frequency (Hz) of the audio the page receives, measured with WebAudio over ~0.5 s,
 * so a test can tell the outside phone's 440 Hz tone from the fake microphone's ~400 Hz beep.
 */
export async function dominantFrequency(page: Page): Promise<number> {
  return page.evaluate(async () => {
    interface Receiver {
      track: { kind: string };
    }
    interface Analyser {
      fftSize: number;
      frequencyBinCount: number;
      getFloatFrequencyData(data: Float32Array): void;
    }
    interface AudioContextLike {
      sampleRate: number;
      createMediaStreamSource(stream: unknown): { connect(node: unknown): void };
      createAnalyser(): Analyser;
      resume(): Promise<void>;
      close(): Promise<void>;
    }
    const scope = globalThis as unknown as {
      __dialpad: { peerConnection: { getReceivers(): Receiver[] } };
      AudioContext: new () => AudioContextLike;
      MediaStream: new (tracks: unknown[]) => unknown;
    };
    const track = scope.__dialpad.peerConnection
      .getReceivers()
      .find((receiver) => receiver.track.kind === 'audio')!.track;
    const context = new scope.AudioContext();
    await context.resume();
    const analyser = context.createAnalyser();
    analyser.fftSize = 8192;
    context.createMediaStreamSource(new scope.MediaStream([track])).connect(analyser);
    const peaks: number[] = [];
    for (let sample = 0; sample < 10; sample++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const bins = new Float32Array(analyser.frequencyBinCount);
      analyser.getFloatFrequencyData(bins);
      let loudest = 0;
      for (let bin = 1; bin < bins.length; bin++) if (bins[bin]! > bins[loudest]!) loudest = bin;
      peaks.push((loudest * context.sampleRate) / analyser.fftSize);
    }
    await context.close();
    peaks.sort((a, b) => a - b);
    return peaks[Math.floor(peaks.length / 2)]!; // median: robust to a silent gap between beeps
  });
}

/** Controls a person cannot identify: inputs without a label and buttons without a name, by id or text. */
export async function unlabelledControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    interface Control {
      tagName: string;
      id: string;
      type?: string;
      textContent: string | null;
      labels?: { length: number } | null;
      getAttribute(name: string): string | null;
      outerHTML: string;
    }
    const doc = (globalThis as unknown as { document: { querySelectorAll(selector: string): Iterable<Control> } })
      .document;
    const missing: string[] = [];
    for (const control of doc.querySelectorAll('input, button, select, textarea')) {
      const named =
        (control.labels?.length ?? 0) > 0 ||
        !!control.getAttribute('aria-label') ||
        !!control.getAttribute('aria-labelledby') ||
        (control.tagName === 'BUTTON' && (control.textContent ?? '').trim() !== '');
      if (!named) missing.push(control.outerHTML.slice(0, 120));
    }
    return missing;
  });
}

/** True when the page is wider than its viewport (a horizontal scrollbar on a phone). */
export async function overflowsHorizontally(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const scope = globalThis as unknown as {
      document: { documentElement: { scrollWidth: number } };
      innerWidth: number;
    };
    return scope.document.documentElement.scrollWidth > scope.innerWidth;
  });
}
