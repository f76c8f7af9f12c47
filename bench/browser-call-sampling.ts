// What both providers' figure 4 runs share (browser-call-child.ts, bandwidth/bw-browser-call.ts): the page clock,
// the in-page watch for the caller's first inbound audio packet, and the interleaved app/floor rounds.
import type { Page } from 'playwright-core';
import { waitFor } from '../tests/e2e/support/chromium';
import type { BrowserCallSample } from './browser-call-sample';

export interface BrowserCallSamples {
  app: BrowserCallSample[];
  floor: BrowserCallSample[];
}

/** Installed in every page: capture-phase click times of buttons, on the page's high-resolution clock. */
export const PAGE_CLOCK = `
  globalThis.__now = () => performance.timeOrigin + performance.now();
  globalThis.__clicks = {};
  document.addEventListener('click', (event) => {
    const button = event.target instanceof Element ? event.target.closest('button') : null;
    if (button) globalThis.__clicks[button.textContent.trim()] = globalThis.__now();
  }, true);
`;

/**
 * `rounds` rounds of one app call then one floor call, interleaved so machine noise hits both alike. The first
 * round warms both paths up and is not kept. Each call is logged (stderr), so a run that fails or is stopped
 * says how far it got and how long each call took.
 */
export async function collectSamples(
  rounds: number,
  call: (side: keyof BrowserCallSamples) => Promise<BrowserCallSample>,
): Promise<BrowserCallSamples> {
  const samples: BrowserCallSamples = { app: [], floor: [] };
  for (let round = 0; round < rounds; round++) {
    for (const side of ['app', 'floor'] as const) {
      const started = Date.now();
      const sample = await call(side);
      process.stderr.write(
        `round ${round + 1}/${rounds} ${side}: ringing ${Math.round(sample.ringingMs)} ms, ` +
          `audio ${Math.round(sample.audioMs)} ms, call took ${Date.now() - started} ms\n`,
      );
      if (round > 0) samples[side].push(sample);
    }
  }
  return samples;
}

/**
 * Clears the caller page's click and audio marks, then watches, in the page, for the first inbound audio RTP packet
 * of `peerConnection` (a page expression giving the RTCPeerConnection, or a falsy value before there is one). The
 * page polls getStats() every 2 ms itself: a Node round trip per poll would be coarser than what is measured.
 */
export async function watchFirstAudio(page: Page, peerConnection: string): Promise<void> {
  await page.evaluate(`
    globalThis.__audioAt = undefined;
    void (async () => {
      const started = Date.now();
      while (Date.now() - started < 20000) {
        const connection = ${peerConnection};
        if (connection) {
          let packets = 0;
          (await connection.getStats()).forEach((entry) => {
            if (entry.type === 'inbound-rtp' && entry.kind === 'audio') packets = entry.packetsReceived || 0;
          });
          if (packets > 0) { globalThis.__audioAt = globalThis.__now(); return; }
        }
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    })();
  `);
}

/** When (page clock) watchFirstAudio saw the first audio packet; waits up to 20 s for it. */
export function firstAudioAt(page: Page): Promise<number> {
  return waitFor(() => page.evaluate<number | undefined>('globalThis.__audioAt'), {
    timeoutMs: 20_000,
    intervalMs: 20,
    description: 'audio at the caller',
  });
}
