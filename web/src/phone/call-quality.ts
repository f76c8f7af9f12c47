// Watches a call's peer connection once a second with getStats() and says when the audio is likely poor, with
// Twilio's thresholds (round-trip time > 400 ms, jitter > 30 ms, packet loss > 3 %) held for 3 of the last 5
// seconds, and when the connection drops (ICE disconnected, or no audio packets for 3 s) and comes back.
import type { CallQuality, QualityWarning } from './call-state';

export interface QualitySample {
  rttMs?: number;
  jitterMs?: number;
  /** Audio packets lost in this interval / packets expected, in %: what this side hears. */
  lossPercent?: number;
  /** Audio packets received in this interval. */
  received: number;
  iceDisconnected: boolean;
}

export const THRESHOLDS = { rttMs: 400, jitterMs: 30, lossPercent: 3 } as const;
const WINDOW = 5;
const RAISE_AT = 3; // samples over a threshold in the window that raise its warning
const SILENT_SECONDS_LOST = 3;
const RECOVERED_SECONDS = 5; // how long "recovered" shows before the notice goes away
const INTERVAL_MS = 1_000;

function crossed(sample: QualitySample): QualityWarning[] {
  const over: QualityWarning[] = [];
  if ((sample.lossPercent ?? 0) > THRESHOLDS.lossPercent) over.push('loss');
  if ((sample.rttMs ?? 0) > THRESHOLDS.rttMs) over.push('latency');
  if ((sample.jitterMs ?? 0) > THRESHOLDS.jitterMs) over.push('jitter');
  return over;
}

/**
 * The quality after `samples` (oldest first, one a second), given the one before. Pure, for unit tests.
 * A warning is raised when 3 of the last 5 samples cross its threshold and cleared when none of them does
 * (so it neither flickers nor lingers); loss is named first, as people hear it most.
 */
export function assessQuality(samples: QualitySample[], previous: CallQuality, mediaExpected: boolean): CallQuality {
  const recent = samples.slice(-WINDOW);
  const counts = new Map<QualityWarning, number>();
  for (const sample of recent)
    for (const warning of crossed(sample)) counts.set(warning, (counts.get(warning) ?? 0) + 1);
  let warning = (['loss', 'latency', 'jitter'] as const).find((name) => (counts.get(name) ?? 0) >= RAISE_AT);
  if (!warning && previous.warning && (counts.get(previous.warning) ?? 0) > 0) warning = previous.warning;

  const last = samples.slice(-SILENT_SECONDS_LOST);
  const silent = mediaExpected && last.length === SILENT_SECONDS_LOST && last.every((sample) => sample.received === 0);
  const down = samples[samples.length - 1]?.iceDisconnected === true || silent;
  let connection: CallQuality['connection'] = 'ok';
  if (down) connection = 'lost';
  else if (previous.connection === 'lost') connection = 'recovered';
  else if (previous.connection === 'recovered') {
    let good = 0; // samples with audio since the last one without
    for (let i = samples.length - 1; i >= 0 && !samples[i]!.iceDisconnected && samples[i]!.received > 0; i--) good++;
    connection = good <= RECOVERED_SECONDS ? 'recovered' : 'ok';
  }
  return warning ? { warning, connection } : { connection };
}

interface Counters {
  received: number;
  lost: number;
}

/** One sample from a getStats() report and the counters of the previous one (cumulative → per interval). */
export function sampleStats(report: RTCStatsReport, before: Counters, iceState: string): [QualitySample, Counters] {
  const now: Counters = { received: 0, lost: 0 };
  let rtt: number | undefined;
  let pairRtt: number | undefined;
  let jitter: number | undefined;
  report.forEach((entry: Record<string, unknown>) => {
    const number = (key: string) => (typeof entry[key] === 'number' ? entry[key] : undefined);
    if (entry.type === 'inbound-rtp' && entry.kind === 'audio') {
      now.received += number('packetsReceived') ?? 0;
      now.lost += Math.max(0, number('packetsLost') ?? 0);
      jitter = number('jitter');
    } else if (entry.type === 'remote-inbound-rtp' && entry.kind === 'audio') {
      rtt = number('roundTripTime') ?? rtt;
    } else if (entry.type === 'candidate-pair' && entry.nominated === true) {
      pairRtt = number('currentRoundTripTime') ?? pairRtt;
    }
  });
  const received = Math.max(0, now.received - before.received);
  // packetsLost is expected minus received (RFC 3550), so packets that are late or out of order count as lost
  // until they arrive and then fall back out. Only a rise above the highest count so far is loss: otherwise
  // jitter alone would read as loss in every interval where the count happened to rise.
  now.lost = Math.max(now.lost, before.lost);
  const lost = now.lost - before.lost;
  const seconds = rtt ?? pairRtt;
  const sample: QualitySample = {
    received,
    iceDisconnected: iceState === 'disconnected' || iceState === 'failed',
    ...(received + lost > 0 ? { lossPercent: (100 * lost) / (received + lost) } : {}),
    ...(seconds !== undefined ? { rttMs: seconds * 1000 } : {}),
    ...(jitter !== undefined ? { jitterMs: jitter * 1000 } : {}),
  };
  return [sample, now];
}

/** Samples `connection` every second until stopped; `onChange` hears every change of the assessment. */
export function watchQuality(
  connection: RTCPeerConnection,
  mediaExpected: () => boolean,
  onChange: (quality: CallQuality) => void,
): () => void {
  const samples: QualitySample[] = [];
  let counters: Counters = { received: 0, lost: 0 };
  let quality: CallQuality = { connection: 'ok' };
  let stopped = false;
  const timer = setInterval(() => {
    connection.getStats().then(
      (report) => {
        if (stopped) return;
        const [sample, next] = sampleStats(report, counters, connection.iceConnectionState);
        counters = next;
        samples.push(sample);
        if (samples.length > 10) samples.shift();
        const assessed = assessQuality(samples, quality, mediaExpected());
        if (assessed.warning !== quality.warning || assessed.connection !== quality.connection) onChange(assessed);
        quality = assessed;
      },
      () => undefined, // a closed connection: the call is ending and stop() follows
    );
  }, INTERVAL_MS);
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
