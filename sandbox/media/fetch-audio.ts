// Fetches audio the app asks the platform to play (Bandwidth's <PlayAudio>, Catapult's `fileUrl`) and decodes it.
// Like Bandwidth, the format is taken from the answer's Content-Type: WAV only here (audio/wav, audio/x-wav,
// audio/wave, audio/vnd.wave), 8 kHz mono 16-bit PCM or µ-law inside. Every failure (refused, timeout, non-2xx,
// another type, another WAV format) is an AudioFetchError whose message says what went wrong.
import { decodeWav, WavFormatError } from './wav';

export const AUDIO_FETCH_TIMEOUT_MS = 10_000;
const MAX_AUDIO_BYTES = 20 * 1024 * 1024; // 20 MB: ~20 minutes of 8 kHz 16-bit audio
const WAV_TYPES = /^audio\/(wav|x-wav|wave|vnd\.wave)\b/i;

export class AudioFetchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AudioFetchError';
  }
}

export async function fetchAudio(
  url: string,
  credentials?: { username: string; password: string },
  timeoutMs = AUDIO_FETCH_TIMEOUT_MS,
): Promise<Int16Array> {
  const headers: Record<string, string> = { 'User-Agent': 'sandbox-media' };
  if (credentials) {
    headers.Authorization = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
  }
  let response: Response;
  try {
    response = await fetch(url, { headers, redirect: 'follow', signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new AudioFetchError(`GET ${safe(url)} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new AudioFetchError(`GET ${safe(url)} answered ${response.status}`);
  }
  const type = response.headers.get('content-type') ?? '';
  if (!WAV_TYPES.test(type)) {
    await response.body?.cancel();
    throw new AudioFetchError(`GET ${safe(url)} answered Content-Type '${type}' (WAV only)`);
  }
  const file = Buffer.from(await response.arrayBuffer());
  if (file.length > MAX_AUDIO_BYTES) throw new AudioFetchError(`GET ${safe(url)}: the audio is larger than 20 MB`);
  try {
    return decodeWav(file).samples;
  } catch (error) {
    if (error instanceof WavFormatError) throw new AudioFetchError(`${safe(url)}: ${error.message}`);
    throw error;
  }
}

/** The URL without userinfo or query (it may carry a token). */
function safe(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.origin + parsed.pathname;
  } catch {
    return 'an invalid URL';
  }
}
