// A user's own voicemail greeting: a short WAV the dialpad records (8 kHz, 16-bit PCM, mono — what both providers
// play), kept beside the messages in the private voicemail container under `greetings/<username>`. The provider
// fetches it without credentials while playing the voicemail, so the app hands it a link of its own: the username,
// an expiry and the app's signature over both (the link opens that one greeting for ten minutes, nothing else).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppError } from '../errors';
import type { AudioBlobs, StoredAudio } from './audio-blobs';
import { wavFormat } from './wav';

export const GREETING_PREFIX = 'greetings/';
export const MAX_GREETING_SECONDS = 30;
const MIN_GREETING_SECONDS = 1;
export const MAX_GREETING_BYTES = 44 + MAX_GREETING_SECONDS * 8000 * 2 + 1024;
const LINK_LIFETIME_MS = 10 * 60_000;
/** The public route the provider fetches a greeting from (functions/voicemail-greeting-get.ts). */
export const GREETING_LINK_PATH = '/api/voicemail/greetings/';

const blobName = (username: string) => `${GREETING_PREFIX}${username}`;

export class Greetings {
  constructor(
    private readonly blobs: AudioBlobs,
    private readonly signingKey: Buffer,
    private readonly publicBaseUrl: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** Checks and stores a greeting (replacing any); AppError `invalid-greeting` for anything but the format above. */
  async save(username: string, audio: Buffer): Promise<{ durationSeconds: number }> {
    const format = wavFormat(audio);
    if (
      !format ||
      format.format !== 1 ||
      format.bitsPerSample !== 16 ||
      format.channels !== 1 ||
      format.sampleRate !== 8000
    )
      throw invalid('Send the greeting as a WAV file: 8 kHz, 16-bit PCM, mono.');
    if (format.durationSeconds < MIN_GREETING_SECONDS || format.durationSeconds > MAX_GREETING_SECONDS)
      throw invalid(`A greeting lasts ${MIN_GREETING_SECONDS} to ${MAX_GREETING_SECONDS} seconds.`);
    await this.blobs.put(blobName(username), audio, 'audio/wav');
    return { durationSeconds: Math.round(format.durationSeconds * 10) / 10 };
  }

  open(username: string): Promise<StoredAudio | undefined> {
    return this.blobs.open(blobName(username));
  }

  /** Whether there was one: without it callers hear the default spoken greeting. */
  delete(username: string): Promise<boolean> {
    return this.blobs.delete(blobName(username));
  }

  /** A link the provider can fetch the user's greeting from, or undefined when they have none (or it cannot be read). */
  async linkFor(username: string): Promise<string | undefined> {
    const audio = await this.blobs.open(blobName(username)).catch(() => undefined);
    if (!audio) return undefined;
    audio.stream.destroy(); // only its existence was asked
    const expires = String(Math.floor((this.now() + LINK_LIFETIME_MS) / 1000));
    const url = new URL(`${this.publicBaseUrl}${GREETING_LINK_PATH}${encodeURIComponent(username)}`);
    url.searchParams.set('expires', expires);
    url.searchParams.set('sig', this.sign(username, expires));
    return url.toString();
  }

  /** The greeting a link opens; AppError `not-found` for a link that is forged, expired or has no greeting. */
  async openLink(username: string, expires: string | undefined, sig: string | undefined): Promise<StoredAudio> {
    const fresh = expires !== undefined && /^\d{1,12}$/.test(expires) && Number(expires) * 1000 > this.now();
    const expected = fresh ? Buffer.from(this.sign(username, expires)) : undefined;
    const given = Buffer.from(sig ?? '');
    const signed = expected !== undefined && given.length === expected.length && timingSafeEqual(given, expected);
    const audio = signed ? await this.blobs.open(blobName(username)) : undefined;
    if (!audio) throw new AppError('not-found', 'No such greeting.');
    return audio;
  }

  private sign(username: string, expires: string): string {
    return createHmac('sha256', this.signingKey).update(`greeting:${username}:${expires}`).digest('base64url');
  }
}

function invalid(message: string): AppError {
  return new AppError('invalid-greeting', message, 'audio');
}
