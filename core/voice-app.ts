// The core's one entry point for the HTTP functions. It knows nothing of Azure Functions:
// functions/*.ts parse the request, call one method, and map the result (or AppError) to a response.
// The implementation is built once by createVoiceApp() in ./create-voice-app.ts from the validated config.
import type {
  CallHistoryResponse,
  DoctorReport,
  DialCheckResponse,
  HealthResponse,
  LoginRequest,
  NotificationsAccess,
  NumberSearchQuery,
  NumberSearchResponse,
  OutboundBreakerReport,
  SessionResponse,
  SignUpRequest,
  SipCredentialsView,
  UserView,
  WebRtcTokenView,
} from './api-types';
import type { AccountApi, AuthenticatedUser, RequestOrigin } from './accounts/account-api';
import type { IncomingWebhook, WebhookReply } from './provider/app-events';

export type { IncomingWebhook, WebhookReply };

export type { AuthenticatedUser, RequestOrigin } from './accounts/account-api';

/** Whose data a call reads: the `username` of an AuthenticatedUser (authenticate() checked the session). */
export interface UserRef {
  username: string;
}

export interface VoiceApp extends AccountApi {
  health(): Promise<HealthResponse>;
  searchNumbers(query: NumberSearchQuery, origin?: RequestOrigin): Promise<NumberSearchResponse>;
  /** `created` is false when the same sign-up was already done (refresh, retry): nothing new is ordered. */
  signUp(request: SignUpRequest, origin?: RequestOrigin): Promise<{ created: boolean; session: SessionResponse }>;
  /** Username alone; `passkey-required` once the account has a passkey (then logInWithPasskey). */
  logIn(request: LoginRequest, origin?: RequestOrigin): Promise<SessionResponse>;
  getMe(user: UserRef): Promise<UserView>;
  /**
   * Recorded in the audit trail as a reveal. An account with a passkey needs a fresh step-up in this session
   * (`step-up-required`). A provider without per-user SIP accounts: AppError('sip-account-unavailable').
   */
  getSipCredentials(user: AuthenticatedUser, origin?: RequestOrigin): Promise<SipCredentialsView>;
  /**
   * A new SIP password, set at the provider at once (the old one stops registering); the same step-up as a
   * reveal. Answers the credentials with the new password. Recorded as a rotation.
   */
  rotateSipPassword(user: AuthenticatedUser, origin?: RequestOrigin): Promise<SipCredentialsView>;
  /** Bounded per session (`rate-limited` beyond CALLING_TOKENS_PER_WINDOW an hour). */
  createWebRtcToken(user: AuthenticatedUser): Promise<WebRtcTokenView>;
  listCalls(user: UserRef): Promise<CallHistoryResponse>;
  /** Would a call from this user to `number` (as dialled) be put through? Throws `invalid-number` without one. */
  checkDial(user: UserRef, number: unknown): Promise<DialCheckResponse>;
  /**
   * The user declines a call ringing for them: it ends, and the history says "declined". AppError
   * ('call-not-found') when no call rings for this user with this id (answered, ended, or not theirs).
   */
  declineCall(user: UserRef, callId: string): Promise<void>;
  /**
   * Where the user's dialpad listens for its incoming calls (a WebSocket URL with its own access token). A
   * provider whose calls ring the dialpad itself (Catapult) has no such channel: AppError('not-found').
   */
  negotiateNotifications(user: UserRef): Promise<NotificationsAccess>;
  /**
   * A provider callback. Throws AppError('webhook-unauthorized') before doing anything when the credentials
   * are wrong. The reply is what the callback answers (empty, or BXML on Bandwidth).
   */
  handleWebhook(incoming: IncomingWebhook): Promise<WebhookReply>;
  /**
   * Maintenance (functions/calls-overdue-end.ts, every minute): hangs up calls past their longest length
   * (MAX_CALL_SECONDS) and gives back the limits of calls whose end was never reported; returns how many ended.
   */
  endOverdueCalls(): Promise<number>;
  /**
   * The app's own upkeep (a timer every 5 minutes and at start): sweeps abandoned sign-ups and repairs what it
   * may repair alone (drift from the provider). Undefined when another instance is running it right now.
   */
  runMaintenance(): Promise<DoctorReport | undefined>;
  /** The operator's doctor: what differs from the provider; with `repair`, everything fixable is fixed first. */
  doctor(request: { repair: boolean }): Promise<DoctorReport>;
  /** The operator's view of the outbound-minutes breaker; with `lift`, closes it (and zeroes this hour's count). */
  outboundBreaker(request: { lift: boolean }): Promise<OutboundBreakerReport>;
}
