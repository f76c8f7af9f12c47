// What a simulated phone or a platform leg hears: counts of received µ-law frames, how many of them carry real
// sound (RMS above a floor), and the frequency of the last loud frame (zero crossings), so tests can tell a
// far end's 440 Hz tone from the platform's own prompt or from silence.
import { mulaw } from 'alawmulaw';

export interface AudioLevel {
  frames: number;
  loudFrames: number;
  /** Estimated frequency of the last loud frame, Hz (0 before any). */
  lastFrequencyHz: number;
}

const LOUD_RMS = 300; // 16-bit PCM; the tones are ~13000, silence and comfort noise far below

export class AudioMeter {
  private readonly level: AudioLevel = { frames: 0, loudFrames: 0, lastFrequencyHz: 0 };

  /** A PCMU payload (8 kHz). */
  addPcmu(payload: Buffer): void {
    if (payload.length === 0) return;
    const pcm = mulaw.decode(payload);
    this.level.frames += 1;
    let sum = 0;
    let crossings = 0;
    for (let i = 0; i < pcm.length; i += 1) {
      sum += pcm[i]! * pcm[i]!;
      if (i > 0 && pcm[i - 1]! < 0 !== pcm[i]! < 0) crossings += 1;
    }
    if (Math.sqrt(sum / pcm.length) < LOUD_RMS) return;
    this.level.loudFrames += 1;
    this.level.lastFrequencyHz = Math.round((crossings / 2) * (8000 / pcm.length));
  }

  read(): AudioLevel {
    return { ...this.level };
  }
}
