// The core's one entry point for the HTTP functions. It knows nothing of Azure Functions:
// functions/*.ts parse the request, call one method, and map the result (or AppError) to a response.
// The implementation is built once by createVoiceApp() in ./create-voice-app.ts from the validated config.
import type {
  CallHistoryResponse,
  HealthResponse,
  LoginRequest,
  NumberSearchQuery,
  NumberSearchResponse,
  SessionResponse,
  SignUpRequest,
  SipCredentialsView,
  UserView,
  WebRtcTokenView,
} from './api-types';
import type { AccountApi, RequestOrigin } from './accounts/account-api';

export type { AuthenticatedUser, RequestOrigin } from './accounts/account-api';

/** Whose data a call reads: the `username` of an AuthenticatedUser (authenticate() checked the session). */
export interface UserRef {
  username: string;
}

/** A Catapult callback as it reached the webhook, before any parsing. */
export interface IncomingCatapultEvent {
  /** The Authorization header (Catapult sends the callback URL's userinfo as Basic). */
  authorization?: string;
  /** Query parameters of the callback URL (the app puts its own markers there), and GET-method events. */
  query: Record<string, string>;
  /** Parsed JSON body for POST callbacks; undefined for GET. */
  body: unknown;
}

export interface VoiceApp extends AccountApi {
  health(): Promise<HealthResponse>;
  searchNumbers(query: NumberSearchQuery): Promise<NumberSearchResponse>;
  /** `created` is false when the same sign-up was already done (refresh, retry): nothing new is ordered. */
  signUp(request: SignUpRequest, origin?: RequestOrigin): Promise<{ created: boolean; session: SessionResponse }>;
  /** Username alone; `passkey-required` once the account has a passkey (then logInWithPasskey). */
  logIn(request: LoginRequest, origin?: RequestOrigin): Promise<SessionResponse>;
  getMe(user: UserRef): Promise<UserView>;
  /** Recorded in the audit trail as a reveal. */
  getSipCredentials(user: UserRef, origin?: RequestOrigin): Promise<SipCredentialsView>;
  createWebRtcToken(user: UserRef): Promise<WebRtcTokenView>;
  listCalls(user: UserRef): Promise<CallHistoryResponse>;
  /** Throws AppError('webhook-unauthorized') before doing anything when the credentials are wrong. */
  handleCatapultEvent(event: IncomingCatapultEvent): Promise<void>;
}
