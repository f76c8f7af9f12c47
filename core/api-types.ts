// The app's public HTTP API under /api: what the dialpad and any mobile client use.
// Type-only module: web/ imports it with `import type`, so it must never contain runtime code.

/** Every error response has this body. `code` is stable; `message` is safe to show to a person. */
export interface ApiErrorBody {
  error: { code: ApiErrorCode; message: string; field?: string };
}

/** Stable error codes. Clients branch on these, never on messages. */
export type ApiErrorCode =
  | 'invalid-json' // body is not JSON or not an object
  | 'invalid-username' // fails the username rule (field: username)
  | 'invalid-number' // not a phone number we can use (field: number)
  | 'invalid-search' // number search criteria missing, combined or malformed
  | 'username-taken' // another person signed up with this username
  | 'number-unavailable' // the number was ordered by someone else meanwhile: search again
  | 'signup-in-progress' // the same sign-up is running right now: retry shortly
  | 'user-not-found' // log-in with an unknown username: go to sign-up
  | 'unauthorized' // missing, malformed or expired bearer token
  | 'webhook-unauthorized' // a Catapult event without the webhook credentials
  | 'not-found' // unknown route
  | 'method-not-allowed'
  | 'catapult-unavailable' // Catapult failed or timed out after retries
  | 'catapult-rate-limited' // Catapult kept answering 429 after retries
  | 'catapult-rejected' // Catapult refused the request (4xx we cannot recover from)
  | 'storage-unavailable' // Table Storage failed or timed out
  | 'config-invalid' // the app is misconfigured; health names the settings
  | 'internal-error';

export interface HealthCheck {
  ok: boolean;
  /** Error code when not ok, e.g. `config-invalid`, `storage-unavailable`, `catapult-unavailable`. */
  code?: string;
  message?: string;
  latencyMs?: number;
}

/** GET /api/health → 200 when every check is ok, 503 otherwise (same body). */
export interface HealthResponse {
  status: 'ok' | 'degraded';
  checks: { config: HealthCheck; storage: HealthCheck; catapult: HealthCheck };
}

/** GET /api/numbers?areaCode=919 | ?zip=27513 | ?city=Cary&state=NC [&quantity=10] */
export interface NumberSearchQuery {
  areaCode?: string;
  zip?: string;
  city?: string;
  state?: string;
  quantity?: number;
}

export interface AvailableNumberView {
  number: string; // E.164
  nationalNumber: string; // "(919) 555-1212"
  city: string;
  state: string;
}

export interface NumberSearchResponse {
  numbers: AvailableNumberView[];
}

/** POST /api/users → 201 (created) or 200 (the same sign-up again: same user, nothing new ordered). */
export interface SignUpRequest {
  username: string;
  number: string; // E.164 from a search result
}

/** POST /api/login → 200, or 404 `user-not-found`. */
export interface LoginRequest {
  username: string;
}

export interface UserView {
  username: string;
  number: string; // E.164
  nationalNumber: string;
  sipUri: string; // sip:<endpoint>@<domain>.bwapp.bwsip.io
  createdAt: string; // ISO 8601
}

/** Answer of sign-up and log-in. The token goes in `Authorization: Bearer <token>`. */
export interface SessionResponse {
  user: UserView;
  token: string;
  expiresAt: string; // ISO 8601
}

/** GET /api/me/sip: credentials for any softphone, and what the browser needs. */
export interface SipCredentialsView {
  sipUri: string;
  username: string; // SIP auth user = endpoint name
  password: string;
  realm: string; // <domain>.bwapp.bwsip.io
  websocketUrl: string; // SIP over WebSocket for browsers
}

/** POST /api/me/webrtc-token: a short-lived Catapult endpoint token for the dialpad (X-Callsign-Token). */
export interface WebRtcTokenView {
  token: string;
  expiresAt: string; // ISO 8601; refresh before this
  sipUri: string;
  websocketUrl: string;
  headerName: 'X-Callsign-Token';
}

export type CallDirection = 'inbound' | 'outbound';
export type CallRecordState = 'ringing' | 'active' | 'completed' | 'failed';

/** One call in GET /api/me/calls, newest first. */
export interface CallRecordView {
  callId: string;
  direction: CallDirection; // inbound = to the user's number; outbound = placed by the user's endpoint
  peer: string; // the other party: E.164 number (or SIP URI when no number is known)
  state: CallRecordState;
  startedAt: string;
  answeredAt?: string;
  endedAt?: string;
  cause?: string; // Catapult hangup cause or the app's reason (e.g. "blocked-destination")
}

export interface CallHistoryResponse {
  calls: CallRecordView[];
}

/** web/config.json, written next to the dialpad where it is hosted: tells it where the API is. */
export interface ClientConfig {
  apiBaseUrl: string; // e.g. "https://<app>.azurewebsites.net" (no trailing slash; paths start with /api)
}
