// The only code in the dialpad that talks HTTP. Every failure becomes an ApiError with a stable `code`:
// the server's own code from `{ error: { code, message } }`, or one of the client codes below.
// Kept free of DOM types so unit tests can run it in Node against a fake server.
import type {
  AccessTokenResponse,
  ApiErrorBody,
  ApiErrorCode,
  CallHistoryResponse,
  ClientConfig,
  DialCheckResponse,
  LoginRequest,
  NotificationsAccess,
  NumberSearchQuery,
  NumberSearchResponse,
  PasskeyCreationOptionsResponse,
  PasskeyListResponse,
  PasskeyLoginRequest,
  PasskeyRegistrationRequest,
  PasskeyRequestOptionsResponse,
  PasskeyView,
  SessionListResponse,
  SessionResponse,
  SignUpRequest,
  SipCredentialsView,
  StepUpRequest,
  StepUpResponse,
  UserView,
  VoicemailListResponse,
  VoicemailView,
  WebRtcTokenView,
} from '../../core/api-types';

/**
 * Client-side failures: the API could not be reached, or answered something that is not our API; or the
 * browser's passkey prompt was cancelled, timed out or is not available (src/passkeys.ts).
 */
export type ClientErrorCode =
  'network-error' | 'timeout' | 'bad-response' | 'config-missing' | 'passkey-cancelled' | 'passkey-unsupported';

export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode | ClientErrorCode,
    message: string,
    readonly status = 0,
    readonly field?: string,
    /** From Retry-After: seconds until a refused limit lets the same request through. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/**
 * Retry-After in seconds (the API sends only that form); undefined when absent, malformed or hidden (a
 * cross-origin answer shows it only when exposed; the error body carries the same number).
 */
function retryAfter(response: Response): number | undefined {
  const value = response.headers.get('Retry-After');
  return value !== null && /^\d+$/.test(value.trim()) ? Number(value) : undefined;
}

export interface ApiClient {
  searchNumbers(query: NumberSearchQuery): Promise<NumberSearchResponse>;
  signUp(request: SignUpRequest): Promise<SessionResponse>;
  logIn(request: LoginRequest): Promise<SessionResponse>;
  getMe(): Promise<UserView>;
  getSipCredentials(): Promise<SipCredentialsView>;
  /** A new SIP password (the old one stops working at once); answers the credentials with it. */
  rotateSipPassword(): Promise<SipCredentialsView>;
  createWebRtcToken(): Promise<WebRtcTokenView>;
  /** Bandwidth: where this dialpad hears of calls to the user's number. */
  negotiateNotifications(): Promise<NotificationsAccess>;
  /** Bandwidth: ends a ringing call to the user's number (answered 204). */
  declineCall(callId: string): Promise<void>;
  listCalls(): Promise<CallHistoryResponse>;
  /** A new access token for the session (unauthenticated: the refresh token is the proof). */
  refreshSession(refreshToken: string): Promise<AccessTokenResponse>;
  passkeyLoginOptions(username?: string): Promise<PasskeyRequestOptionsResponse>;
  logInWithPasskey(request: PasskeyLoginRequest): Promise<SessionResponse>;
  listSessions(): Promise<SessionListResponse>;
  /** "current" ends this session: log-out. */
  endSession(sessionId: string): Promise<void>;
  endAllSessions(): Promise<{ ended: number }>;
  passkeyRegistrationOptions(): Promise<PasskeyCreationOptionsResponse>;
  registerPasskey(request: PasskeyRegistrationRequest): Promise<PasskeyView>;
  listPasskeys(): Promise<PasskeyListResponse>;
  removePasskey(passkeyId: string): Promise<void>;
  stepUpOptions(): Promise<PasskeyRequestOptionsResponse>;
  stepUp(request: StepUpRequest): Promise<StepUpResponse>;
  /** Would the app put a call to `number` (as typed) through? */
  checkDial(number: string): Promise<DialCheckResponse>;
  listVoicemails(): Promise<VoicemailListResponse>;
  /** A message's recording (the download is authenticated, so an <audio> element plays an object URL of it). */
  getVoicemailAudio(voicemailId: string): Promise<Blob>;
  updateVoicemail(voicemailId: string, read: boolean): Promise<VoicemailView>;
  deleteVoicemail(voicemailId: string): Promise<void>;
  /** The user's own greeting (a WAV); `greeting-not-found` while callers hear the default one. */
  getGreeting(): Promise<Blob>;
  saveGreeting(wav: Blob): Promise<{ durationSeconds: number }>;
  /** Back to the default greeting. */
  deleteGreeting(): Promise<void>;
}

export interface ApiClientOptions {
  /** Origin of the API, e.g. "https://app.azurewebsites.net"; paths start with /api. */
  baseUrl: string;
  /** The current bearer token, if logged in. */
  getToken(): string | undefined;
  /**
   * Called when an authenticated request answers 401 (the short-lived access token expired): gets a new one
   * and resolves true, so the request is sent once more; false when the session itself has ended.
   */
  refreshToken?(): Promise<boolean>;
  /** Called on a 401 that a refresh did not cure, so the app can log out cleanly. */
  onUnauthorized?(): void;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000; // sign-up orders a number upstream, which can take a while

function isErrorBody(value: unknown): value is ApiErrorBody {
  const error = (value as ApiErrorBody | null)?.error;
  return typeof error === 'object' && error !== null && typeof error.code === 'string';
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  const fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const baseUrl = options.baseUrl.replace(/\/+$/, '');

  /** `allowEmpty`: a success without a body (204) is an answer too, for actions that return nothing. */
  async function request<T>(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    /** JSON, or a Blob sent as it is with its own type (a greeting's WAV). */
    body?: unknown,
    authenticated = true,
    allowEmpty = false,
  ): Promise<T> {
    const response = await sendRefreshing(method, path, body, authenticated);
    const payload = await readJson(response);
    if (response.ok) {
      if (payload === undefined && !allowEmpty)
        throw new ApiError('bad-response', 'The server sent an unexpected answer.', response.status);
      return payload as T;
    }
    return failed(response, payload, authenticated);
  }

  /** An authenticated download of bytes (a recording); errors as for JSON requests. */
  async function download(path: string): Promise<Blob> {
    const response = await sendRefreshing('GET', path, undefined, true);
    if (!response.ok) return failed(response, await readJson(response), true);
    try {
      return await response.blob();
    } catch {
      throw new ApiError('network-error', 'The download was cut short. Check your connection and try again.');
    }
  }

  async function sendRefreshing(method: string, path: string, body: unknown, authenticated: boolean) {
    const first = await send(method, path, body, authenticated);
    // An expired access token: refresh once and send again; a session that ended cannot be refreshed.
    return first.status === 401 && authenticated && options.refreshToken && (await options.refreshToken())
      ? send(method, path, body, authenticated)
      : first;
  }

  function failed(response: Response, payload: unknown, authenticated: boolean): never {
    if (response.status === 401 && authenticated) options.onUnauthorized?.();
    if (isErrorBody(payload)) {
      const { code, message, field, retryAfterSeconds } = payload.error;
      throw new ApiError(code, message, response.status, field, retryAfterSeconds ?? retryAfter(response));
    }
    throw new ApiError('bad-response', `The server answered ${response.status}. Please try again.`, response.status);
  }

  async function send(method: string, path: string, body: unknown, authenticated: boolean): Promise<Response> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    const raw = body instanceof Blob;
    if (body !== undefined) headers['Content-Type'] = raw ? body.type : 'application/json';
    const token = authenticated ? options.getToken() : undefined;
    if (authenticated && !token) throw new ApiError('unauthorized', 'Please log in again.', 401);
    if (token) headers.Authorization = `Bearer ${token}`;
    try {
      return await fetchImpl(`${baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : raw ? body : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      if ((error as Error).name === 'TimeoutError') {
        throw new ApiError('timeout', 'The server took too long to answer. Please try again.');
      }
      throw new ApiError('network-error', 'Cannot reach the server. Check your connection and try again.');
    }
  }

  const nothing = () => undefined;

  return {
    searchNumbers(query) {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(query)) {
        if (value !== undefined && value !== '') params.set(key, String(value));
      }
      return request('GET', `/api/numbers?${params.toString()}`, undefined, false);
    },
    signUp: (body) => request('POST', '/api/users', body, false),
    logIn: (body) => request('POST', '/api/login', body, false),
    getMe: () => request('GET', '/api/me'),
    getSipCredentials: () => request('GET', '/api/me/sip'),
    rotateSipPassword: () => request('POST', '/api/me/sip/password'),
    createWebRtcToken: () => request('POST', '/api/me/webrtc-token'),
    negotiateNotifications: () => request('POST', '/api/me/notifications/negotiate'),
    declineCall: (callId) =>
      request<unknown>('POST', `/api/me/calls/${encodeURIComponent(callId)}/decline`, undefined, true, true).then(
        () => undefined,
      ),
    listCalls: () => request('GET', '/api/me/calls'),
    refreshSession: (refreshToken) => request('POST', '/api/token', { refreshToken }, false),
    passkeyLoginOptions: (username) =>
      request('POST', '/api/login/passkey/options', username ? { username } : {}, false),
    logInWithPasskey: (body) => request('POST', '/api/login/passkey', body, false),
    listSessions: () => request('GET', '/api/me/sessions'),
    endSession: (sessionId) =>
      request('DELETE', `/api/me/sessions/${encodeURIComponent(sessionId)}`, undefined, true, true).then(nothing),
    endAllSessions: () => request('DELETE', '/api/me/sessions'),
    passkeyRegistrationOptions: () => request('POST', '/api/me/passkeys/options'),
    registerPasskey: (body) => request('POST', '/api/me/passkeys', body),
    listPasskeys: () => request('GET', '/api/me/passkeys'),
    removePasskey: (passkeyId) =>
      request('DELETE', `/api/me/passkeys/${encodeURIComponent(passkeyId)}`, undefined, true, true).then(nothing),
    stepUpOptions: () => request('POST', '/api/me/step-up/options'),
    stepUp: (body) => request('POST', '/api/me/step-up', body),
    checkDial: (number) => request('GET', `/api/me/dial-check?number=${encodeURIComponent(number)}`),
    listVoicemails: () => request('GET', '/api/me/voicemails'),
    getVoicemailAudio: (voicemailId) => download(`/api/me/voicemails/${encodeURIComponent(voicemailId)}/audio`),
    updateVoicemail: (voicemailId, read) =>
      request('PATCH', `/api/me/voicemails/${encodeURIComponent(voicemailId)}`, { read }),
    deleteVoicemail: (voicemailId) =>
      request('DELETE', `/api/me/voicemails/${encodeURIComponent(voicemailId)}`, undefined, true, true).then(nothing),
    getGreeting: () => download('/api/me/voicemail/greeting'),
    saveGreeting: (wav) => request('PUT', '/api/me/voicemail/greeting', wav),
    deleteGreeting: () => request('DELETE', '/api/me/voicemail/greeting', undefined, true, true).then(nothing),
  };
}

/** A STUN/TURN server as RTCIceServer has it, without needing DOM types here. */
export interface IceServerConfig {
  urls: string | string[];
  username?: string;
  credential?: string;
}

/** config.json: the shared ClientConfig plus optional dialpad-only settings. */
export interface DialpadConfig extends ClientConfig {
  /** ICE servers for calls; default [] (loopback/dev, and Catapult's gateway needed none). */
  iceServers: IceServerConfig[];
}

function isIceServer(value: unknown): value is IceServerConfig {
  const urls = (value as IceServerConfig | null)?.urls;
  return typeof urls === 'string' || (Array.isArray(urls) && urls.every((url) => typeof url === 'string'));
}

/**
 * Reads config.json next to the page (written at deploy time). Without one, the API is assumed
 * on the page's own origin, which is how a single-origin reverse proxy would serve it.
 */
export async function loadClientConfig(
  configUrl: string,
  fallbackOrigin: string,
  fetchImpl: typeof fetch = fetch,
): Promise<DialpadConfig> {
  let response: Response;
  try {
    response = await fetchImpl(configUrl, { headers: { 'Cache-Control': 'no-cache' } }); // config changes per deploy
  } catch {
    throw new ApiError('network-error', 'Cannot load the app configuration. Check your connection and reload.');
  }
  if (response.status === 404) return { apiBaseUrl: fallbackOrigin, iceServers: [] };
  const payload = (await readJson(response)) as Partial<DialpadConfig> | undefined;
  if (!response.ok || typeof payload?.apiBaseUrl !== 'string' || !/^https?:\/\//.test(payload.apiBaseUrl)) {
    throw new ApiError('config-missing', 'The app configuration (config.json) is missing or invalid.', response.status);
  }
  if (
    payload.iceServers !== undefined &&
    !(Array.isArray(payload.iceServers) && payload.iceServers.every(isIceServer))
  ) {
    throw new ApiError('config-missing', 'config.json has an invalid iceServers list.', response.status);
  }
  return { apiBaseUrl: payload.apiBaseUrl.replace(/\/+$/, ''), iceServers: payload.iceServers ?? [] };
}
