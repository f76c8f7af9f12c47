// Captures what a far end sends on a leg (PCMU payloads) as 16-bit samples for a recording. Each payload is placed
// by its RTP timestamp, so a lost or late packet leaves silence of the right length instead of shortening the
// message; when the far end sends nothing at all for a while (muted, or stopped sending), the wall clock fills the
// gap when the capture stops. The result is capped at `maxMs`.
import { mulaw } from 'alawmulaw';
import { SAMPLE_RATE } from './wav';

export class AudioCapture {
  private chunks: Int16Array[] = [];
  private length = 0; // samples written so far, including filled silence
  private firstTimestamp: number | undefined;
  private readonly startedAt: number;
  private stoppedAt: number | undefined;

  constructor(
    private readonly maxMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.startedAt = now();
  }

  get maxSamples(): number {
    return Math.round((this.maxMs * SAMPLE_RATE) / 1000);
  }

  /** A PCMU payload and its RTP timestamp (8 kHz clock). */
  addPcmu(payload: Buffer, timestamp: number): void {
    if (this.stoppedAt !== undefined) return;
    if (this.firstTimestamp === undefined) {
      // The first packet lands where the wall clock says, so audio that starts late in the capture stays late.
      this.firstTimestamp = (timestamp - this.elapsedSamples()) >>> 0;
    }
    const position = (timestamp - this.firstTimestamp) >>> 0;
    if (position > 0x7fffffff || position < this.length - 160 * 50) return; // far older than what we have: drop
    if (position > this.length) this.pad(position - this.length);
    if (position < this.length) return; // a duplicate or reordered packet: what is written stays
    this.append(mulaw.decode(new Uint8Array(payload)));
  }

  /** Stops capturing; the samples so far, padded to the time elapsed (at most maxMs). */
  stop(): Int16Array {
    if (this.stoppedAt === undefined) {
      this.stoppedAt = this.now();
      const elapsed = this.elapsedSamples();
      if (elapsed > this.length) this.pad(elapsed - this.length);
    }
    const out = new Int16Array(Math.min(this.length, this.maxSamples));
    let offset = 0;
    for (const chunk of this.chunks) {
      if (offset >= out.length) break;
      out.set(chunk.subarray(0, out.length - offset), offset);
      offset += chunk.length;
    }
    return out;
  }

  /** Milliseconds captured so far (by the wall clock), for maxDuration. */
  elapsedMs(): number {
    return (this.stoppedAt ?? this.now()) - this.startedAt;
  }

  private elapsedSamples(): number {
    return Math.min(this.maxSamples, Math.round((this.elapsedMs() * SAMPLE_RATE) / 1000));
  }

  private pad(samples: number): void {
    this.append(new Int16Array(Math.min(samples, this.maxSamples - this.length + 1)));
  }

  private append(samples: Int16Array): void {
    if (this.length >= this.maxSamples) return;
    this.chunks.push(samples);
    this.length += samples.length;
  }
}
