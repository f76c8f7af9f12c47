// The app's public HTTP API under /api: what the dialpad and any mobile client use.
// Type-only module: web/ imports it with `import type`, so it must never contain runtime code.

/** Every error response has this body. `code` is stable; `message` is safe to show to a person. */
export interface ApiErrorBody {
  error: {
    code: ApiErrorCode;
    message: string;
    field?: string;
    /** On a refused limit that lifts by itself: the Retry-After header's seconds, for clients that cannot read it. */
    retryAfterSeconds?: number;
  };
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
  | 'webhook-unauthorized' // a provider callback without the webhook credentials
  | 'call-not-found' // POST /api/me/calls/{callId}/decline: no call of this user rings with this id
  | 'sip-account-unavailable' // GET /api/me/sip on Bandwidth: it offers no per-user SIP account here (409)
  | 'not-found' // unknown route
  | 'method-not-allowed'
  // The phone provider's faults, whichever provider the deployment runs on (Catapult's were named catapult-*
  // before a second provider existed).
  | 'provider-unavailable' // the provider failed or timed out after retries: retry later
  | 'provider-rate-limited' // the provider kept answering 429 after retries: retry later
  | 'provider-rejected' // the provider refused the request (a 4xx the app cannot recover from)
  | 'storage-unavailable' // Table Storage failed or timed out
  | 'config-invalid' // the app is misconfigured; health names the settings
  | 'internal-error'
  // Cost and fraud limits (docs/security.md "Cost and fraud"). 429s carry Retry-After (seconds) when waiting helps.
  | 'unsupported-media-type' // a POST body that is not Content-Type: application/json (415)
  | 'number-not-offered' // sign-up with a number (or signature) that no search of this app offered (403)
  | 'number-offer-expired' // the search result's signature expired: search again (403)
  | 'signup-code-required' // the operator requires an invitation code (field: signupCode) (403)
  | 'signup-code-invalid' // the invitation code is wrong (field: signupCode) (403)
  | 'too-many-signups' // this address's sign-ups this hour are used up (429)
  | 'signups-paused' // the app's sign-ups for today are used up (429)
  | 'user-limit-reached' // the app holds as many users as the operator allows (403)
  | 'too-many-searches' // this address's number searches this hour are used up (429)
  | 'too-many-logins'; // log-in attempts from this address or for this username this hour are used up (429)

/** The telephony provider a deployment runs on (chosen by which credentials are configured). */
export type ProviderName = 'catapult' | 'bandwidth';

export interface HealthCheck {
  ok: boolean;
  /** Error code when not ok, e.g. `config-invalid`, `storage-unavailable`, `provider-unavailable`. */
  code?: string;
  message?: string;
  latencyMs?: number;
}

/** GET /api/health → 200 when every check is ok, 503 otherwise (same body). */
export interface HealthResponse {
  status: 'ok' | 'degraded';
  /** The provider the deployment runs on; absent when the configuration is invalid. */
  provider?: ProviderName;
  checks: { config: HealthCheck; storage: HealthCheck; provider: HealthCheck };
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

/**
 * A search result as the API answers it: sign-up takes `number` only with its `signature`, before
 * `signatureExpiresAt` (NUMBER_OFFER_MINUTES after the search). The signature is opaque; send it back as is.
 */
export interface OfferedNumberView extends AvailableNumberView {
  signature: string;
  signatureExpiresAt: string; // ISO 8601
}

export interface NumberSearchResponse {
  numbers: OfferedNumberView[];
}

/** POST /api/users → 201 (created) or 200 (the same sign-up again: same user, nothing new ordered). */
export interface SignUpRequest {
  username: string;
  number: string; // E.164 from a search result
  /** The search result's `signature`; required to order (the same request again after success needs none). */
  signature?: string;
  /** The invitation code, when the operator set SIGNUP_CODE. */
  signupCode?: string;
}

/** POST /api/login → 200, or 404 `user-not-found`. */
export interface LoginRequest {
  username: string;
}

export interface UserView {
  username: string;
  number: string; // E.164
  nationalNumber: string;
  sipUri?: string; // Catapult only: sip:<endpoint>@<domain>.bwapp.bwsip.io (Bandwidth users have no SIP account)
  createdAt: string; // ISO 8601
}

/** Answer of sign-up and log-in. The token goes in `Authorization: Bearer <token>`. */
export interface SessionResponse {
  user: UserView;
  token: string;
  expiresAt: string; // ISO 8601
}

/** GET /api/me/sip: credentials for any softphone (Catapult; Bandwidth answers 409 `sip-account-unavailable`). */
export interface SipCredentialsView {
  sipUri: string;
  username: string; // SIP auth user = endpoint name
  password: string;
  realm: string; // <domain>.bwapp.bwsip.io
  websocketUrl: string; // SIP over WebSocket for browsers
}

/** POST /api/me/webrtc-token: what the dialpad needs to place and take calls. Refresh before `expiresAt`. */
export type WebRtcTokenView = CatapultWebRtcToken | BandwidthWebRtcToken;

/** Catapult: a short-lived endpoint token, sent as the `X-Callsign-Token` header when registering. */
export interface CatapultWebRtcToken {
  provider: 'catapult';
  token: string;
  expiresAt: string; // ISO 8601; refresh before this
  sipUri: string;
  websocketUrl: string;
  headerName: 'X-Callsign-Token';
}

/**
 * Bandwidth In-App Calling: `token` is an access token of the app's narrow WebRTC credential, sent as
 * `Authorization: Bearer <token>` on REGISTER and INVITE to `websocketUrl`. `callerToken` (signed by the app)
 * proves the user on every call the dialpad places: send it in the INVITE's `User-to-User` header as
 * `<callerToken>;encoding=jwt`. Both expire; refresh before the earlier of the two.
 */
export interface BandwidthWebRtcToken {
  provider: 'bandwidth';
  token: string;
  expiresAt: string; // ISO 8601
  websocketUrl: string; // wss://gw.webrtc-app.bandwidth.com:10081 in production
  sipDomain: string; // the request URI's host for an INVITE: sip:<number>@<sipDomain>
  callerToken: string;
  callerTokenExpiresAt: string; // ISO 8601
  authorizationHeader: 'Authorization';
}

// The incoming-call channel of Bandwidth deployments: the app rings the user's dialpads itself, because In-App
// Calling does not deliver calls to browsers.

/** POST /api/me/notifications/negotiate → where the dialpad listens for its incoming calls (Bandwidth). */
export interface NotificationsAccess {
  url: string; // a WebSocket URL with its access token; JSON text frames arrive on it
  expiresAt: string; // ISO 8601; negotiate again before this
}

/**
 * A message on the incoming-call channel. `incoming-call`: answer by placing an In-App call to the user's own
 * number with `<pickupToken>;encoding=jwt` in its `User-to-User` header (before `expiresAt`), or decline with
 * POST /api/me/calls/{callId}/decline. `call-ended`: the caller hung up or nobody answered in time.
 */
export type CallNotification =
  | {
      type: 'incoming-call';
      callId: string;
      from: string; // E.164 of the caller as the network gave it
      fromUsername?: string; // when the caller is another user of the app
      pickupToken: string;
      expiresAt: string; // ISO 8601
    }
  | { type: 'call-ended'; callId: string };

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
  cause?: string; // the provider's hang-up cause (e.g. "USER_BUSY") or the app's refusal reason (a DialRefusal…)
  peerUsername?: string; // when the peer's number belongs to a user of the app (a call between two users)
}

export interface CallHistoryResponse {
  calls: CallRecordView[];
}

/** Why a dial would be refused: the router's own refusal reasons, which the history's `cause` uses too. */
export type DialRefusal =
  | 'invalid-number'
  | 'premium-rate'
  | 'toll-free-not-allowed'
  | 'number-type-not-allowed'
  | 'blocked-country'
  | 'self-call';

/**
 * GET /api/me/dial-check?number=<as dialled> → 200: would the app put this call through? The same rules the
 * router applies to the call itself, so the dialpad can say why before placing a call that would be refused.
 */
export type DialCheckResponse =
  | { allowed: true; number: string; nationalNumber: string } // E.164 and national format of what was dialled
  | { allowed: false; reason: DialRefusal; message: string };

/** web/config.json, written next to the dialpad where it is hosted: tells it where the API is. */
export interface ClientConfig {
  apiBaseUrl: string; // e.g. "https://<app>.azurewebsites.net" (no trailing slash; paths start with /api)
}
