// The core's one entry point for the HTTP functions. It knows nothing of Azure Functions:
// functions/*.ts parse the request, call one method, and map the result (or AppError) to a response.
// The implementation is built once by createVoiceApp() in ./create-voice-app.ts from the validated config.
import type {
  CallHistoryResponse,
  DialCheckResponse,
  HealthResponse,
  LoginRequest,
  NotificationsAccess,
  NumberSearchQuery,
  NumberSearchResponse,
  SessionResponse,
  SignUpRequest,
  SipCredentialsView,
  UserView,
  WebRtcTokenView,
} from './api-types';
import type { IncomingWebhook, WebhookReply } from './provider/app-events';

export type { IncomingWebhook, WebhookReply };

/** The user a valid bearer token stands for. */
export interface AuthenticatedUser {
  username: string;
}

/** Where a request came from, as the functions read it: the cost and fraud limits count per client address. */
export interface RequestOrigin {
  /** core/limits/client-address.ts's reading of X-Forwarded-For. */
  clientAddress: string;
}

export interface VoiceApp {
  health(): Promise<HealthResponse>;
  searchNumbers(query: NumberSearchQuery, origin?: RequestOrigin): Promise<NumberSearchResponse>;
  /** `created` is false when the same sign-up was already done (refresh, retry): nothing new is ordered. */
  signUp(request: SignUpRequest, origin?: RequestOrigin): Promise<{ created: boolean; session: SessionResponse }>;
  logIn(request: LoginRequest, origin?: RequestOrigin): Promise<SessionResponse>;
  /** Throws AppError('unauthorized') for a missing, malformed or expired token. */
  authenticate(authorizationHeader: string | undefined): Promise<AuthenticatedUser>;
  getMe(user: AuthenticatedUser): Promise<UserView>;
  /** A provider without per-user SIP accounts: AppError('sip-account-unavailable'). */
  getSipCredentials(user: AuthenticatedUser): Promise<SipCredentialsView>;
  createWebRtcToken(user: AuthenticatedUser): Promise<WebRtcTokenView>;
  listCalls(user: AuthenticatedUser): Promise<CallHistoryResponse>;
  /** Would a call from this user to `number` (as dialled) be put through? Throws `invalid-number` without one. */
  checkDial(user: AuthenticatedUser, number: unknown): Promise<DialCheckResponse>;
  /**
   * The user declines a call ringing for them: it ends, and the history says "declined". AppError
   * ('call-not-found') when no call rings for this user with this id (answered, ended, or not theirs).
   */
  declineCall(user: AuthenticatedUser, callId: string): Promise<void>;
  /**
   * Where the user's dialpad listens for its incoming calls (a WebSocket URL with its own access token). A
   * provider whose calls ring the dialpad itself (Catapult) has no such channel: AppError('not-found').
   */
  negotiateNotifications(user: AuthenticatedUser): Promise<NotificationsAccess>;
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
}
