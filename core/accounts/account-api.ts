// The account half of the VoiceApp facade (core/voice-app.ts extends it): sessions and passkeys.
import type {
  AccessTokenResponse,
  PasskeyCreationOptionsResponse,
  PasskeyListResponse,
  PasskeyLoginOptionsRequest,
  PasskeyLoginRequest,
  PasskeyRegistrationRequest,
  PasskeyRequestOptionsResponse,
  PasskeyView,
  SessionListResponse,
  SessionResponse,
  StepUpRequest,
  StepUpResponse,
  TokenRequest,
} from '../api-types';
import type { ActiveSession } from './sessions';

/** The user a valid access token stands for, with the live session it names. */
export type AuthenticatedUser = ActiveSession;

/** Where a request came from, as the functions read it: stored with sessions and written to the audit trail. */
export interface RequestOrigin {
  /** The client address Azure's front end saw (the right-most X-Forwarded-For entry). */
  clientAddress: string;
  userAgent?: string;
}

export interface AuthenticateOptions {
  /**
   * Also accept a session that may only register a passkey (REQUIRE_PASSKEY): for the passkey set-up routes,
   * log-out and the account's own lists. Every other route refuses it with `passkey-setup-required`.
   */
  forPasskeySetup?: boolean;
}

export interface AccountApi {
  /** Throws AppError('unauthorized') for a missing, malformed, expired or ended session's token. */
  authenticate(authorizationHeader: string | undefined, options?: AuthenticateOptions): Promise<AuthenticatedUser>;
  refreshSession(request: TokenRequest, origin?: RequestOrigin): Promise<AccessTokenResponse>;
  passkeyLoginOptions(request: PasskeyLoginOptionsRequest): Promise<PasskeyRequestOptionsResponse>;
  logInWithPasskey(request: PasskeyLoginRequest, origin?: RequestOrigin): Promise<SessionResponse>;
  listSessions(user: AuthenticatedUser): Promise<SessionListResponse>;
  /** `sessionId` "current" is the asking session: that is log-out. */
  endSession(user: AuthenticatedUser, sessionId: string, origin?: RequestOrigin): Promise<void>;
  /** "Log out everywhere": every session of the account, this one included. */
  endAllSessions(user: AuthenticatedUser, origin?: RequestOrigin): Promise<{ ended: number }>;
  passkeyRegistrationOptions(user: AuthenticatedUser): Promise<PasskeyCreationOptionsResponse>;
  registerPasskey(
    user: AuthenticatedUser,
    request: PasskeyRegistrationRequest,
    origin?: RequestOrigin,
  ): Promise<PasskeyView>;
  listPasskeys(user: AuthenticatedUser): Promise<PasskeyListResponse>;
  removePasskey(user: AuthenticatedUser, passkeyId: string, origin?: RequestOrigin): Promise<void>;
  stepUpOptions(user: AuthenticatedUser): Promise<PasskeyRequestOptionsResponse>;
  stepUp(user: AuthenticatedUser, request: StepUpRequest, origin?: RequestOrigin): Promise<StepUpResponse>;
}
