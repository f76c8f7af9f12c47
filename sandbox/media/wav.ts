// WAV files the platform writes (recordings) and reads (audio it is asked to play). Recordings are 8 kHz mono
// 16-bit PCM (format 1): every browser plays that, while µ-law WAV (format 7) is not played by Chromium's <audio>.
// Audio to play may be 8 kHz mono 16-bit PCM or µ-law; anything else is refused with a reason (the platform plays
// telephone audio, and resampling is not its job here).
import { mulaw } from 'alawmulaw';

export const SAMPLE_RATE = 8000;

export class WavFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WavFormatError';
  }
}

/** A RIFF/WAVE file of 16-bit PCM samples, mono. */
export function encodeWav(samples: Int16Array, sampleRate = SAMPLE_RATE): Buffer {
  const data = samples.length * 2;
  const wav = Buffer.alloc(44 + data);
  wav.write('RIFF', 0, 'ascii');
  wav.writeUInt32LE(36 + data, 4);
  wav.write('WAVE', 8, 'ascii');
  wav.write('fmt ', 12, 'ascii');
  wav.writeUInt32LE(16, 16); // fmt chunk size
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // mono
  wav.writeUInt32LE(sampleRate, 24);
  wav.writeUInt32LE(sampleRate * 2, 28); // byte rate
  wav.writeUInt16LE(2, 32); // block align
  wav.writeUInt16LE(16, 34); // bits per sample
  wav.write('data', 36, 'ascii');
  wav.writeUInt32LE(data, 40);
  for (let i = 0; i < samples.length; i += 1) wav.writeInt16LE(samples[i]!, 44 + i * 2);
  return wav;
}

export interface DecodedWav {
  sampleRate: number;
  samples: Int16Array;
}

/** Reads an 8 kHz mono WAV (16-bit PCM or µ-law) into 16-bit samples; other formats throw WavFormatError. */
export function decodeWav(file: Buffer): DecodedWav {
  if (file.length < 12 || file.toString('ascii', 0, 4) !== 'RIFF' || file.toString('ascii', 8, 12) !== 'WAVE') {
    throw new WavFormatError('not a RIFF/WAVE file');
  }
  let format: { code: number; channels: number; rate: number; bits: number } | undefined;
  let offset = 12;
  while (offset + 8 <= file.length) {
    const id = file.toString('ascii', offset, offset + 4);
    const size = file.readUInt32LE(offset + 4);
    const body = file.subarray(offset + 8, Math.min(file.length, offset + 8 + size));
    if (id === 'fmt ') {
      if (body.length < 16) throw new WavFormatError('fmt chunk too short');
      format = {
        code: body.readUInt16LE(0),
        channels: body.readUInt16LE(2),
        rate: body.readUInt32LE(4),
        bits: body.readUInt16LE(14),
      };
    } else if (id === 'data') {
      if (!format) throw new WavFormatError('data chunk before fmt chunk');
      return { sampleRate: format.rate, samples: samplesOf(format, body) };
    }
    offset += 8 + size + (size % 2); // chunks are word-aligned
  }
  throw new WavFormatError('no data chunk');
}

function samplesOf(format: { code: number; channels: number; rate: number; bits: number }, data: Buffer): Int16Array {
  if (format.channels !== 1) throw new WavFormatError(`${format.channels} channels (mono only)`);
  if (format.rate !== SAMPLE_RATE) throw new WavFormatError(`${format.rate} Hz (8000 Hz only)`);
  if (format.code === 1 && format.bits === 16) {
    const samples = new Int16Array(Math.floor(data.length / 2));
    for (let i = 0; i < samples.length; i += 1) samples[i] = data.readInt16LE(i * 2);
    return samples;
  }
  if (format.code === 7 && format.bits === 8) return mulaw.decode(new Uint8Array(data));
  throw new WavFormatError(`format ${format.code} with ${format.bits} bits (16-bit PCM or µ-law only)`);
}

/** A sine tone: the stand-in for speech and the "beep" before a recording. */
export function tone(hz: number, ms: number, amplitude = 0.4): Int16Array {
  const samples = new Int16Array(Math.round((ms * SAMPLE_RATE) / 1000));
  for (let i = 0; i < samples.length; i += 1) {
    samples[i] = Math.round(amplitude * 32767 * Math.sin((2 * Math.PI * hz * i) / SAMPLE_RATE));
  }
  return samples;
}
