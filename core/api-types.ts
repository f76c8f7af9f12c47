// The app's public HTTP API under /api: what the dialpad and any mobile client use.
// Type-only module: web/ imports it with `import type`, so it must never contain runtime code.
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';

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
  | 'provider-resources-missing' // the provider no longer has the app's application (or domain): being re-created
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
  | 'too-many-logins' // log-in attempts from this address or for this username this hour are used up (429)
  // Accounts (docs/security.md "Accounts")
  | 'passkey-required' // this account logs in with its passkey (403)
  | 'passkey-setup-required' // this session may only register a passkey (REQUIRE_PASSKEY) (403)
  | 'step-up-required' // confirm with the passkey first: POST /api/me/step-up (403)
  | 'passkey-invalid' // the passkey response did not verify, or is not this account's (400)
  | 'passkey-challenge-invalid' // the passkey request expired or was already used: start again (400)
  | 'passkey-not-found' // no such passkey on this account (404)
  | 'passkeys-unavailable' // passkeys are not set up on this server (DIALPAD_ORIGIN) (409)
  | 'session-not-found' // no such live session on this account (404)
  // Voicemail (GET/PATCH/DELETE /api/me/voicemails/{voicemailId})
  | 'voicemail-not-found' // no such message in this account's voicemail: another's, deleted, or a bad id (404)
  | 'invalid-voicemail-update' // a PATCH body other than {"read": true|false} (field: read) (400)
  | 'invalid-greeting' // PUT /api/me/voicemail/greeting: not an 8 kHz 16-bit mono WAV of 1–30 s (field: audio) (400)
  | 'greeting-not-found' // GET/DELETE /api/me/voicemail/greeting: the user has no greeting of their own (404)
  | 'rate-limited'; // too many of this request (calling tokens) in a while: retry after the time named (429)

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

/**
 * GET /api/ops/doctor and POST /api/ops/doctor/repair (function key; `npm run doctor`): how the app's records
 * and what the provider holds differ. Pending sign-ups that are running or may still be resumed are not problems.
 */
export interface DoctorReport {
  checkedAt: string;
  /** True when there is nothing to repair. */
  nothingToRepair: boolean;
  /** The ids of the app's one-time resources at the provider, once set up. */
  setUp?: Record<string, string>;
  counts: { users: number; numbers: number; identities: number; pendingSignUps: number };
  problems: DoctorProblem[];
  pendingSignUps: PendingSignUpView[];
  /** Only after a repair: each fix tried, in order. */
  repairs?: DoctorRepair[];
  /**
   * Set when the provider has no upkeep part (it cannot list what it holds): the sentence saying that only the
   * app's own sign-ups were checked, not the application, numbers or endpoints at the provider.
   */
  providerNotChecked?: string;
}

/**
 * GET /api/ops/outbound-breaker and POST /api/ops/outbound-breaker/lift (function key; `npm run doctor`): the
 * breaker that stops calls to phone numbers once OUTBOUND_MINUTES_PER_HOUR is reached, until an operator lifts it.
 */
export interface OutboundBreakerReport {
  /** True while no call to a phone number is admitted (calls between users go on). */
  open: boolean;
  /** `tripped`: the minutes of one hour reached the limit; `disabled`: OUTBOUND_MINUTES_PER_HOUR is 0. */
  reason?: 'tripped' | 'disabled';
  /** When it opened (ISO), while open because it tripped. */
  trippedAt?: string;
  /** Minutes of calls to phone numbers counted in the current clock hour. */
  minutesThisHour: number;
  limitMinutesPerHour: number;
  /** Only on POST …/lift: whether this request closed it (false: it was closed, or the setting keeps it open). */
  lifted?: boolean;
}

export type DoctorProblemCode =
  | 'application-missing' // the provider no longer has the app's application: incoming calls are lost
  | 'domain-missing' // the provider no longer has the app's SIP domain: nobody can register or call
  | 'number-missing' // a user's number is no longer on the account
  | 'number-not-on-application' // a user's number points elsewhere: calls to it do not reach the app
  | 'endpoint-missing' // a user's SIP endpoint is gone: their phone cannot register
  | 'endpoint-not-on-application' // a user's endpoint points elsewhere: their calls do not reach the app
  | 'number-without-user' // a number this app ordered belongs to no user or sign-up
  | 'endpoint-without-user' // an endpoint of the app's domain belongs to no user or sign-up
  | 'signup-abandoned'; // a sign-up stopped long ago and was never finished

export interface DoctorProblem {
  code: DoctorProblemCode;
  message: string;
  username?: string;
  number?: string;
  /** The provider's id of what is concerned (application, domain, number or endpoint). */
  id?: string;
  /** `app`: the app repairs it itself (at start, every 5 minutes, from health); `doctor`: only a repair run does. */
  fixedBy: 'app' | 'doctor';
}

export interface PendingSignUpView {
  username: string;
  number: string;
  /** running: an attempt holds it; resumable: a retry continues it; abandoned: to be released. */
  state: 'running' | 'resumable' | 'abandoned';
  startedAt: string;
}

export interface DoctorRepair {
  code: DoctorProblemCode;
  subject: string;
  ok: boolean;
  message: string;
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

/**
 * Answer of sign-up and log-in: a session. `token` (short-lived) goes in `Authorization: Bearer <token>`; before
 * `expiresAt`, trade `refreshToken` for a new one at POST /api/token. The session lasts until `refreshExpiresAt`
 * or until it is ended (log-out, "log out everywhere", the first passkey of the account).
 */
export interface SessionResponse {
  user: UserView;
  token: string;
  expiresAt: string; // ISO 8601, of `token`
  refreshToken: string;
  refreshExpiresAt: string; // ISO 8601: the session's end
  sessionId: string;
  /**
   * `offer`: suggest a passkey now (just signed up); `required`: this session may only register one
   * (REQUIRE_PASSKEY); `none`: nothing to suggest (passkeys off, or the account has one).
   */
  passkeySetup: 'none' | 'offer' | 'required';
}

/** POST /api/token {refreshToken} → a new access token for the same session. */
export interface TokenRequest {
  refreshToken: string;
}

export interface AccessTokenResponse {
  token: string;
  expiresAt: string; // ISO 8601
}

/** One log-in session in GET /api/me/sessions. */
export interface SessionView {
  id: string;
  /** "Chrome on Android": from the browser's User-Agent when the session started. */
  device: string;
  /** The address the session started from. */
  clientAddress: string;
  method: 'username' | 'passkey' | 'signup';
  createdAt: string;
  lastSeenAt: string; // refreshed at most every few minutes
  expiresAt: string;
  /** The session asking. */
  current: boolean;
}

export interface SessionListResponse {
  sessions: SessionView[];
}

/** One passkey in GET /api/me/passkeys. */
export interface PasskeyView {
  id: string; // the credential id
  name: string; // the device it was made on
  createdAt: string;
  lastUsedAt?: string;
  /** Synced to the person's other devices by their platform (a "multi-device" passkey that is backed up). */
  backedUp: boolean;
}

export interface PasskeyListResponse {
  /** Passkeys can be used on this server (DIALPAD_ORIGIN is set). */
  available: boolean;
  /** Every account must have one (REQUIRE_PASSKEY). */
  required: boolean;
  passkeys: PasskeyView[];
  /** Until when this session's last passkey use counts as fresh (step-up), if it is fresh now. */
  verifiedUntil?: string;
}

/** POST /api/me/passkeys/options → hand `options` to navigator.credentials.create (or @simplewebauthn/browser). */
export interface PasskeyCreationOptionsResponse {
  options: PublicKeyCredentialCreationOptionsJSON;
}

/** POST /api/login/passkey/options and POST /api/me/step-up/options → for navigator.credentials.get. */
export interface PasskeyRequestOptionsResponse {
  options: PublicKeyCredentialRequestOptionsJSON;
}

/** POST /api/login/passkey/options {username?}: with a username, the browser is told that account's passkeys. */
export interface PasskeyLoginOptionsRequest {
  username?: string;
}

/** POST /api/login/passkey → SessionResponse. */
export interface PasskeyLoginRequest {
  username?: string;
  response: AuthenticationResponseJSON;
}

/** POST /api/me/passkeys → 201 PasskeyView. */
export interface PasskeyRegistrationRequest {
  response: RegistrationResponseJSON;
}

/** POST /api/me/step-up → StepUpResponse. */
export interface StepUpRequest {
  response: AuthenticationResponseJSON;
}

export interface StepUpResponse {
  verifiedUntil: string; // ISO 8601
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
  | { type: 'call-ended'; callId: string }
  /** A message was left: the dialpad loads its voicemail list again. */
  | { type: 'voicemail'; voicemailId: string; from: string };

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

/** One voicemail message as its owner sees it (the audio itself: GET /api/me/voicemails/{id}/audio). */
export interface VoicemailView {
  id: string;
  /** Who called, as the provider gave it (E.164 for a phone). */
  from: string;
  /** When the message was left (ISO 8601). */
  receivedAt: string;
  /** The recording's length, whole seconds. */
  durationSeconds: number;
  read: boolean;
}

/** GET /api/me/voicemails: newest first, and how many are unread. */
export interface VoicemailListResponse {
  voicemails: VoicemailView[];
  unread: number;
}

/** PATCH /api/me/voicemails/{id}: mark read or unread; answers the updated VoicemailView. */
export interface VoicemailUpdateRequest {
  read: boolean;
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
