// The platform media's recording parts: the WAV writer and reader (real bytes, both formats it plays), and the
// capture that turns RTP payloads into a recording of the right length, gaps filled with silence.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mulaw } from 'alawmulaw';
import { AudioCapture } from '../../../sandbox/media/audio-capture';
import { decodeWav, encodeWav, tone, WavFormatError } from '../../../sandbox/media/wav';

const rms = (samples: Int16Array) => Math.sqrt(samples.reduce((sum, s) => sum + s * s, 0) / (samples.length || 1));

test('encodeWav writes a 16-bit PCM 8 kHz mono RIFF file that decodeWav reads back', () => {
  const samples = tone(440, 250);
  const wav = encodeWav(samples);
  assert.equal(wav.toString('ascii', 0, 4), 'RIFF');
  assert.equal(wav.readUInt32LE(4), wav.length - 8);
  assert.equal(wav.toString('ascii', 8, 16), 'WAVEfmt ');
  assert.equal(wav.readUInt16LE(20), 1); // PCM
  assert.equal(wav.readUInt16LE(22), 1); // mono
  assert.equal(wav.readUInt32LE(24), 8000);
  assert.equal(wav.readUInt16LE(34), 16);
  assert.equal(wav.toString('ascii', 36, 40), 'data');
  assert.equal(wav.readUInt32LE(40), 2000 * 2); // 250 ms × 8000 samples/s × 2 bytes
  const decoded = decodeWav(wav);
  assert.equal(decoded.sampleRate, 8000);
  assert.deepEqual([...decoded.samples], [...samples]);
});

test('decodeWav reads µ-law (format 7) and skips unknown chunks; refuses other formats with a reason', () => {
  const pcm = tone(440, 100);
  const law = Buffer.from(mulaw.encode(pcm));
  const fmt = Buffer.alloc(18);
  fmt.writeUInt16LE(7, 0);
  fmt.writeUInt16LE(1, 2);
  fmt.writeUInt32LE(8000, 4);
  fmt.writeUInt32LE(8000, 8);
  fmt.writeUInt16LE(1, 12);
  fmt.writeUInt16LE(8, 14);
  const chunk = (id: string, body: Buffer) => {
    const head = Buffer.alloc(8);
    head.write(id, 0, 'ascii');
    head.writeUInt32LE(body.length, 4);
    return Buffer.concat([head, body, Buffer.alloc(body.length % 2)]);
  };
  const body = Buffer.concat([chunk('fmt ', fmt), chunk('LIST', Buffer.from('abc')), chunk('data', law)]);
  const riff = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WAVE'), body]);
  riff.writeUInt32LE(riff.length - 8, 4);
  const decoded = decodeWav(riff);
  assert.equal(decoded.samples.length, 800);
  assert.ok(Math.abs(rms(decoded.samples) - rms(pcm)) < rms(pcm) * 0.05);

  const stereo = encodeWav(tone(440, 10));
  stereo.writeUInt16LE(2, 22);
  assert.throws(
    () => decodeWav(stereo),
    (e: unknown) => e instanceof WavFormatError && /mono/.test(e.message),
  );
  const wide = encodeWav(tone(440, 10));
  wide.writeUInt32LE(44100, 24);
  assert.throws(() => decodeWav(wide), /8000 Hz only/);
  assert.throws(() => decodeWav(Buffer.from('ID3 not a wav at all')), /not a RIFF\/WAVE/);
});

test('AudioCapture places payloads by RTP timestamp: a lost packet leaves 20 ms of silence, the length is kept', () => {
  let now = 1_000_000;
  const capture = new AudioCapture(10_000, () => now);
  const frame = Buffer.from(mulaw.encode(tone(440, 20)));
  const base = 0xfffffe00; // wraps around 2^32 during the capture
  for (let i = 0; i < 150; i += 1) {
    if (i === 40) continue; // lost
    capture.addPcmu(frame, (base + i * 160) >>> 0);
    if (i === 41) capture.addPcmu(frame, (base + 41 * 160) >>> 0); // a duplicate changes nothing
    now += 20;
  }
  const samples = capture.stop();
  assert.equal(samples.length, 150 * 160); // 3 s
  assert.equal(rms(samples.subarray(40 * 160, 41 * 160)), 0);
  assert.ok(rms(samples.subarray(0, 40 * 160)) > 5000);
  assert.ok(rms(samples.subarray(41 * 160)) > 5000);
});

test('AudioCapture fills a silent far end by the clock, and cuts at maxMs', () => {
  let now = 0;
  const quiet = new AudioCapture(10_000, () => now);
  now += 3000; // nothing arrives for 3 s
  assert.equal(quiet.stop().length, 24_000);

  now = 0;
  const capped = new AudioCapture(1000, () => now);
  const frame = Buffer.from(mulaw.encode(tone(440, 20)));
  for (let i = 0; i < 100; i += 1) {
    capped.addPcmu(frame, i * 160);
    now += 20;
  }
  const samples = capped.stop();
  assert.equal(samples.length, 8000);
  assert.ok(rms(samples) > 5000);
});
