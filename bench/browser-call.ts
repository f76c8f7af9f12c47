// Figure 4: call set-up in the browser (dialpad → app → sandbox → far end), median over ≥ 10 calls.
// WebRTC must never send to a non-loopback address (docs/contracts/webrtc-testing.md §2), so the browser tier runs
// in a private network namespace that has only `lo` (`unshare -n`, which needs root). Without it
// the figure is reported as not measured rather than run on the real network.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { notMeasured, type FigureResult, type FigureRow } from './figure';
import type { BrowserCallSample } from './browser-call-sample';
import { median, ratio, roundMs } from './stats';

const run = promisify(execFile);
const GOAL_RINGING_MS = 300;
const GOAL_AUDIO_MS = 500;
const TITLE = 'browser call set-up';
/** The stack, the dialpad build, Chromium and the sign-up, before the first call. */
const SET_UP_LIMIT_MS = 120_000;
/** One call, app or floor, placed, answered and hung up: well under a second on an idle machine. */
const CALL_LIMIT_MS = 10_000;

/** The child's limit grows with the calls asked for (+ 1 warm-up round, 2 calls a round). */
function timeLimitMs(calls: number): number {
  return SET_UP_LIMIT_MS + (calls + 1) * 2 * CALL_LIMIT_MS;
}

/** The child's own failure line (or its last lines), and on a time-out how far it got. */
function whyFailed(error: unknown, limitMs: number): string {
  const { stderr = '', killed } = error as { stderr?: string; killed?: boolean };
  const lines = stderr.trim().split('\n');
  const lastCall = lines.filter((line) => line.startsWith('round ')).at(-1);
  if (killed) return `stopped after ${limitMs / 1000} s; ${lastCall ? `last call: ${lastCall}` : 'no call completed'}`;
  const failure = lines.find((line) => line.startsWith('browser call bench failed:'));
  const where = lastCall ? ` (after ${lastCall.split(':')[0]})` : ' (before the first call)';
  return `${failure ?? lines.slice(-3).join(' / ')}${where}`;
}

const ON: Record<'catapult' | 'bandwidth', { id: string; prefix: string; floor: string }> = {
  catapult: { id: '4', prefix: 'browser', floor: 'outside-phone page → bare floor webhook → same far end' },
  bandwidth: {
    id: '4b',
    prefix: 'Bandwidth browser',
    floor: 'same dialpad and In-App gateway, bare BXML floor webhook → same far end',
  },
};

/** Figure 4 on one provider: one loopback-only browser run. */
export async function measureBrowserCallOn(provider: 'catapult' | 'bandwidth', calls: number): Promise<FigureResult> {
  const { id, prefix, floor: floorLabel } = ON[provider];
  const title = provider === 'catapult' ? TITLE : `${TITLE} (Bandwidth)`;
  if (process.getuid?.() !== 0 || !existsSync('/usr/bin/unshare')) {
    return notMeasured(
      id,
      title,
      `≤ ${GOAL_RINGING_MS} ms ringing, ≤ ${GOAL_AUDIO_MS} ms audio`,
      'needs root for a loopback-only network namespace (unshare -n)',
    );
  }
  const child = join(__dirname, 'browser-call-child.ts');
  const script = `ip link set lo up && exec "${process.execPath}" --import tsx "${child}"`;
  let stdout: string;
  try {
    ({ stdout } = await run('unshare', ['-n', 'sh', '-c', script], {
      cwd: join(__dirname, '..'),
      env: { ...process.env, BENCH_BROWSER_CALLS: String(calls + 1), BENCH_PROVIDER: provider }, // + 1 warm-up round
      timeout: timeLimitMs(calls),
      maxBuffer: 4 * 1024 * 1024,
    }));
  } catch (error) {
    return notMeasured(id, title, '', `the browser run failed: ${whyFailed(error, timeLimitMs(calls))}`);
  }
  const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) return notMeasured(id, title, '', 'the browser run printed no result');
  const samples = JSON.parse(line.slice('RESULT '.length)) as { app: BrowserCallSample[]; floor: BrowserCallSample[] };
  const row = (rowId: string, rowTitle: string, pick: (s: BrowserCallSample) => number, goalMs: number): FigureRow => {
    const measured = median(samples.app.map(pick));
    const floor = median(samples.floor.map(pick));
    return {
      id: rowId,
      title: rowTitle,
      unit: 'ms',
      measured: roundMs(measured),
      floor: roundMs(floor),
      floorLabel,
      ratio: ratio(measured, floor),
      goal: `≤ ${goalMs} ms`,
      met: measured <= goalMs,
      note: `median of ${samples.app.length} calls`,
    };
  };
  return {
    rows: [
      row(`${id}.1`, `${prefix}: click Call → far end ringing`, (s) => s.ringingMs, GOAL_RINGING_MS),
      row(`${id}.2`, `${prefix}: answer → audio flowing`, (s) => s.audioMs, GOAL_AUDIO_MS),
    ],
    details: samples,
  };
}
