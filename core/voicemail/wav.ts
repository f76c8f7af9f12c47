// The two things the app needs of WAV files: the voicemail tone it serves to the provider (PlayAudio / Catapult's
// fileUrl fetch it from the app), and the length of a recording the provider hands back (both providers record
// voicemail as WAV). Only the RIFF/WAVE layout is read: `fmt ` gives the byte rate, `data` the audio's size.

const SAMPLE_RATE = 8000;

/** A short 1 kHz beep, 16-bit PCM mono at 8 kHz: the tone after the greeting. Built once, about 8 KB. */
export function voicemailTone(durationMs = 500, frequencyHz = 1000): Buffer {
  const samples = Math.round((SAMPLE_RATE * durationMs) / 1000);
  const pcm = Buffer.alloc(samples * 2);
  const fade = Math.round(SAMPLE_RATE / 100); // 10 ms ramps, so the beep does not click
  for (let i = 0; i < samples; i++) {
    const envelope = Math.min(1, i / fade, (samples - 1 - i) / fade);
    pcm.writeInt16LE(Math.round(Math.sin((2 * Math.PI * frequencyHz * i) / SAMPLE_RATE) * 12_000 * envelope), i * 2);
  }
  return wavFile(pcm, { sampleRate: SAMPLE_RATE, channels: 1, bitsPerSample: 16, format: 1 });
}

export function wavFile(
  data: Buffer,
  f: { sampleRate: number; channels: number; bitsPerSample: number; format: number },
): Buffer {
  const header = Buffer.alloc(44);
  const blockAlign = (f.channels * f.bitsPerSample) / 8;
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(f.format, 20);
  header.writeUInt16LE(f.channels, 22);
  header.writeUInt32LE(f.sampleRate, 24);
  header.writeUInt32LE(f.sampleRate * blockAlign, 28);
  header.writeUInt16LE(blockAlign, 32);
  header.writeUInt16LE(f.bitsPerSample, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

/** Seconds of audio in a WAV file; undefined when it is not one (no RIFF/WAVE, no `fmt ` or `data` chunk). */
export function wavDurationSeconds(file: Buffer): number | undefined {
  return wavFormat(file)?.durationSeconds;
}

export interface WavFormat {
  /** 1 = PCM, 7 = µ-law, … */
  format: number;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  durationSeconds: number;
}

/** What a WAV file holds, read from its `fmt ` and `data` chunks; undefined when it is not one. */
export function wavFormat(file: Buffer): WavFormat | undefined {
  if (file.length < 12 || file.toString('ascii', 0, 4) !== 'RIFF' || file.toString('ascii', 8, 12) !== 'WAVE')
    return undefined;
  let fmt: (Omit<WavFormat, 'durationSeconds'> & { byteRate: number }) | undefined;
  for (let at = 12; at + 8 <= file.length;) {
    const id = file.toString('ascii', at, at + 4);
    const size = file.readUInt32LE(at + 4);
    if (id === 'fmt ' && at + 24 <= file.length) {
      fmt = {
        format: file.readUInt16LE(at + 8),
        channels: file.readUInt16LE(at + 10),
        sampleRate: file.readUInt32LE(at + 12),
        byteRate: file.readUInt32LE(at + 16),
        bitsPerSample: file.readUInt16LE(at + 22),
      };
    }
    // A recorder that could not seek back writes 0 or 0xFFFFFFFF as the size: the audio runs to the end.
    if (id === 'data') {
      if (!fmt?.byteRate) return undefined;
      const bytes = size === 0 || at + 8 + size > file.length ? file.length - at - 8 : size;
      const { byteRate, ...format } = fmt;
      return { ...format, durationSeconds: bytes / byteRate };
    }
    at += 8 + size + (size % 2);
  }
  return undefined;
}
