// The Voice API v2 client: the few JSON requests the app makes outside a callback's BXML answer
// (docs/contracts/bandwidth-v2.md §7, §8): end a call, redirect a live call, read a call, download a recording. Bearer tokens come from
// the OAuth cache, retried as api-transport.ts says (a 429 waits Retry-After, capped). `repeatable` only where doing
// it twice is the same as once: GET, and {state: "completed"} (a call ends once). A redirect is not repeated: a
// second one would send a second `redirect` callback and run its BXML again.
import { fetchBody, isTimeout, retryPolicy, sendWithRetries, type TransportOptions } from './api-transport';

export interface VoiceApiOptions extends TransportOptions {
  voiceUrl: string; // BANDWIDTH_VOICE_URL, no trailing slash
  /** Per attempt, default 5 s: a call path waits on these. */
  timeoutMs?: number;
}

/** The fields of a call the app reads (bandwidth.yml schema `callState`). */
export interface VoiceCallState {
  callId: string;
  state?: string; // initiated | answered | disconnected
  direction?: string;
  from?: string;
  to?: string;
  startTime?: string;
  answerTime?: string;
  endTime?: string;
  disconnectCause?: string;
}

export interface BandwidthVoiceApi {
  getCall(callId: string): Promise<VoiceCallState>;
  /** Hangs up an answered call, cancels or rejects an unanswered one. */
  completeCall(callId: string): Promise<void>;
  /** Stops what the call is doing and sends `redirect` to `redirectUrl`, whose BXML then runs. */
  redirectCall(callId: string, redirect: { redirectUrl: string; redirectMethod?: 'GET' | 'POST' }): Promise<void>;
  /** A recording's audio (`recordingId` checked by the caller: it becomes part of the path). */
  downloadRecording(callId: string, recordingId: string): Promise<{ audio: Buffer; contentType: string }>;
}

/** A failed Voice API request. `status` 0: no answer (network error or timeout). */
export class VoiceApiError extends Error {
  readonly api = 'voice';
  constructor(
    readonly status: number,
    readonly method: string,
    readonly path: string,
    readonly type: string,
    message: string,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'VoiceApiError';
  }
}

interface VoiceRequest {
  method: 'GET' | 'POST';
  callId: string;
  /** Below the call, e.g. `/recordings/{id}/media`. */
  subPath?: string;
  body?: unknown;
  /** Safe to repeat after a 5xx or no answer. */
  repeatable: boolean;
  accept?: string;
  timeoutMs?: number;
}

export function createVoiceApi(options: VoiceApiOptions): BandwidthVoiceApi {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 5000;
  const base = `${options.voiceUrl}/api/v2/accounts/${encodeURIComponent(options.accountId)}/calls/`;

  async function attempt(request: VoiceRequest, path: string, token: string): Promise<Answer> {
    const headers: Record<string, string> = { Authorization: `Bearer ${token}`, Accept: request.accept ?? JSON_TYPE };
    if (request.body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    let body: Buffer;
    try {
      ({ response, body } = await fetchBody(
        doFetch,
        base + encodeURIComponent(request.callId) + (request.subPath ?? ''),
        {
          method: request.method,
          headers,
          ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
          redirect: 'error', // never resend the Bearer token to a place we did not choose
        },
        request.timeoutMs ?? timeoutMs,
        async (r) => Buffer.from(await r.arrayBuffer()),
      ));
    } catch (error) {
      const reason = isTimeout(error) ? 'timeout' : 'network-error';
      throw new VoiceApiError(0, request.method, path, reason, `${request.method} ${path}: ${reason}`, undefined, {
        cause: error,
      });
    }
    if (response.ok) return { body, contentType: response.headers.get('content-type') ?? '' };
    const error = parseError(body.toString('utf8'));
    throw new VoiceApiError(
      response.status,
      request.method,
      path,
      error.type ?? `http-${response.status}`,
      `${request.method} ${path}: ${response.status} ${error.description ?? response.statusText}`,
      retryAfterMs(response.headers.get('retry-after')),
    );
  }

  const policy = retryPolicy(options, 100);
  function send(request: VoiceRequest): Promise<Answer> {
    // Logs and errors name the operation, never the account path or the token.
    const path = `/calls/${request.callId}${request.subPath ?? ''}`;
    return sendWithRetries(policy, {
      repeatable: request.repeatable,
      attempt: (token) => attempt(request, path, token),
      isFailure: (error) => error instanceof VoiceApiError,
      onFailure: (error, attemptNumber, retry) =>
        options.logger.warn('voice api request failed', {
          method: request.method,
          path,
          status: error.status,
          type: error.type,
          attempt: attemptNumber,
          retry,
        }),
    });
  }

  return {
    async getCall(callId) {
      const { body } = await send({ method: 'GET', callId, repeatable: true });
      const value = JSON.parse(body.toString('utf8')) as Partial<VoiceCallState>;
      return { ...value, callId: typeof value.callId === 'string' ? value.callId : callId };
    },
    async completeCall(callId) {
      await send({ method: 'POST', callId, body: { state: 'completed' }, repeatable: true });
    },
    async redirectCall(callId, redirect) {
      await send({ method: 'POST', callId, body: { state: 'active', ...redirect }, repeatable: false });
    },
    async downloadRecording(callId, recordingId) {
      const { body, contentType } = await send({
        method: 'GET',
        callId,
        subPath: `/recordings/${encodeURIComponent(recordingId)}/media`,
        accept: 'audio/vnd.wave, audio/wav, audio/mpeg',
        timeoutMs: RECORDING_TIMEOUT_MS,
        repeatable: true,
      });
      return { audio: body, contentType: contentType.split(';')[0]?.trim() || 'audio/wav' };
    },
  };
}

const JSON_TYPE = 'application/json';
/** Three minutes of 8 kHz audio are a few MB: more time than a JSON request gets. */
const RECORDING_TIMEOUT_MS = 30_000;

interface Answer {
  body: Buffer;
  contentType: string;
}

function parseError(text: string): { type?: string; description?: string } {
  try {
    const value = JSON.parse(text) as { type?: unknown; description?: unknown };
    return {
      ...(typeof value.type === 'string' ? { type: value.type } : {}),
      ...(typeof value.description === 'string' ? { description: value.description.slice(0, 200) } : {}),
    };
  } catch {
    return {};
  }
}

/** Retry-After in seconds or as an HTTP date (RFC 9110 §10.2.3). */
function retryAfterMs(header: string | null): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
