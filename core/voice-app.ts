// The core's one entry point for the HTTP functions. It knows nothing of Azure Functions:
// functions/*.ts parse the request, call one method, and map the result (or AppError) to a response.
// The implementation is built once by createVoiceApp() in ./create-voice-app.ts from the validated config.
import type {
  CallHistoryResponse,
  DialCheckResponse,
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

/** The user a valid bearer token stands for. */
export interface AuthenticatedUser {
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

export interface VoiceApp {
  health(): Promise<HealthResponse>;
  searchNumbers(query: NumberSearchQuery): Promise<NumberSearchResponse>;
  /** `created` is false when the same sign-up was already done (refresh, retry): nothing new is ordered. */
  signUp(request: SignUpRequest): Promise<{ created: boolean; session: SessionResponse }>;
  logIn(request: LoginRequest): Promise<SessionResponse>;
  /** Throws AppError('unauthorized') for a missing, malformed or expired token. */
  authenticate(authorizationHeader: string | undefined): Promise<AuthenticatedUser>;
  getMe(user: AuthenticatedUser): Promise<UserView>;
  getSipCredentials(user: AuthenticatedUser): Promise<SipCredentialsView>;
  createWebRtcToken(user: AuthenticatedUser): Promise<WebRtcTokenView>;
  listCalls(user: AuthenticatedUser): Promise<CallHistoryResponse>;
  /** Would a call from this user to `number` (as dialled) be put through? Throws `invalid-number` without one. */
  checkDial(user: AuthenticatedUser, number: unknown): Promise<DialCheckResponse>;
  /** Throws AppError('webhook-unauthorized') before doing anything when the credentials are wrong. */
  handleCatapultEvent(event: IncomingCatapultEvent): Promise<void>;
}
