// Accounts: builds the session and passkey services over the Accounts and Challenges tables and implements the
// account half of the VoiceApp (account-api.ts), plus the session start that sign-up and log-in share.
// Provider-free: it knows users by username only.
import type { LoginRequest, PasskeyView, SessionResponse, SessionView, UserView } from '../api-types';
import type { SessionTokenKeys } from '../auth/session-tokens';
import { AppError } from '../errors';
import type { Logger } from '../log';
import type { EntityTable } from '../storage/entity-table';
import { normalizeUsername } from '../users/username';
import type { AccountApi, RequestOrigin } from './account-api';
import type { AccountSettings } from './account-settings';
import { AccountStore, type PasskeyRow, type SessionRow } from './account-store';
import { AuditTrail } from './audit';
import { ChallengeBook } from './challenges';
import { deviceName } from './device-name';
import { isFresh, PasskeyService, STEP_UP_FRESH_MS } from './passkeys';
import { SessionService, type NewSession, type SessionOrigin, type StartedSession } from './sessions';

export interface AccountAppOptions {
  settings: AccountSettings;
  /** Relying party name shown by browsers ("Save a passkey for …"). */
  appName: string;
  keys: SessionTokenKeys & { challengeKey: Buffer };
  sessionTtlHours: number;
  tables: { accounts: EntityTable; challenges: EntityTable };
  /** The user record behind a username, as the API shows it; undefined when there is none. */
  findUser(username: string): Promise<UserView | undefined>;
  now: () => number;
  logger: Logger;
}

export interface AccountApp extends AccountApi {
  /**
   * Log-in by username alone: 404 `user-not-found` for no such account, refused with `passkey-required` once the
   * account has a passkey.
   */
  logIn: (request: LoginRequest, origin?: RequestOrigin) => Promise<SessionResponse>;
  /** The session sign-up answers; a repeated sign-up of an existing account is a username log-in. */
  sessionAfterSignUp: (user: UserView, created: boolean, origin?: RequestOrigin) => Promise<SessionResponse>;
  readonly passkeys: PasskeyService;
  readonly sessions: SessionService;
  readonly challenges: ChallengeBook;
  readonly audit: AuditTrail;
}

const SESSION_ID = /^[A-Za-z0-9_-]{22}$/;

export function createAccountApp(options: AccountAppOptions): AccountApp {
  const { settings, now, logger } = options;
  const audit = new AuditTrail(logger);
  const store = new AccountStore(options.tables.accounts);
  const sessions = new SessionService({
    store,
    keys: options.keys,
    ttlHours: options.sessionTtlHours,
    now,
    logger,
  });
  const challenges = new ChallengeBook({
    key: options.keys.challengeKey,
    table: options.tables.challenges,
    now,
    logger,
  });
  const passkeys = new PasskeyService({
    rp:
      settings.dialpadOrigin && settings.passkeyRpId
        ? { name: options.appName, id: settings.passkeyRpId, origin: settings.dialpadOrigin }
        : undefined,
    store,
    sessions,
    challenges,
    now,
    logger,
  });

  const start = async (
    user: UserView,
    kind: NewSession,
    origin: RequestOrigin | undefined,
    passkeySetup: SessionResponse['passkeySetup'],
    guard?: Parameters<SessionService['start']>[3],
  ): Promise<SessionResponse> => {
    const started = await sessions.start(user.username, kind, sessionOrigin(origin), guard);
    return sessionResponse(user, started, passkeySetup);
  };

  /** Username alone (log-in, or a repeated sign-up): only for accounts without a passkey. */
  const usernameSession = (user: UserView, method: 'username' | 'signup', origin?: RequestOrigin, fresh = false) =>
    start(
      user,
      { method, verified: false, setupRequired: settings.requirePasskey },
      origin,
      settings.requirePasskey ? 'required' : fresh && passkeys.available ? 'offer' : 'none',
      (state) => {
        if ((state.account?.passkeyCount ?? 0) > 0 || state.passkeys.length > 0) {
          throw new AppError('passkey-required', 'This account logs in with its passkey.', 'username');
        }
      },
    );

  const requireUser = async (username: string): Promise<UserView> => {
    const user = await options.findUser(username);
    if (!user) throw new AppError('unauthorized', 'This account no longer exists. Sign up again.');
    return user;
  };

  const loggedIn = (session: SessionResponse) => ({ user: session.user.username, sessionId: session.sessionId });

  return {
    passkeys,
    sessions,
    challenges,
    audit,
    async logIn(request, origin) {
      const username = normalizeUsername((request as Partial<LoginRequest> | undefined)?.username);
      return audit.around(
        { event: 'login', user: username, method: 'username' },
        origin,
        async () => {
          const user = await options.findUser(username);
          if (!user) throw new AppError('user-not-found', 'No account has this username. Sign up first.', 'username');
          return usernameSession(user, 'username', origin);
        },
        loggedIn,
      );
    },
    sessionAfterSignUp: (user, created, origin) =>
      audit.around(
        { event: 'login', user: user.username, method: 'signup' },
        origin,
        () => usernameSession(user, 'signup', origin, created),
        loggedIn,
      ),

    async authenticate(header, authOptions) {
      const active = await sessions.authenticate(header);
      if (active.row.setupRequired && !authOptions?.forPasskeySetup) {
        throw new AppError('passkey-setup-required', 'Add a passkey to your account first.');
      }
      return active;
    },
    async refreshSession(request) {
      const refreshToken = typeof request?.refreshToken === 'string' ? request.refreshToken : '';
      const refreshed = await sessions.refresh(refreshToken);
      return { token: refreshed.accessToken, expiresAt: refreshed.accessExpiresAt.toISOString() };
    },
    async passkeyLoginOptions(request) {
      return { options: await passkeys.loginOptions(optionalUsername(request?.username)) };
    },
    async logInWithPasskey(request, origin) {
      const username = optionalUsername(request?.username);
      return audit.around(
        { event: 'login', method: 'passkey', ...(username ? { user: username } : {}) },
        origin,
        async () => {
          const proved = await passkeys.verifyLogin({ username, response: request?.response });
          const user = await options.findUser(proved.username);
          if (!user) throw new AppError('passkey-invalid', 'This passkey does not belong to an account here.');
          return start(user, { method: 'passkey', verified: true, setupRequired: false }, origin, 'none');
        },
        (session) => ({ ...loggedIn(session), passkeyId: request.response.id }),
      );
    },
    async listSessions(user) {
      const rows = await sessions.list(user.username);
      return { sessions: rows.map((row) => sessionView(row, user.sessionId)) };
    },
    async endSession(user, sessionId, origin) {
      const id = sessionId === 'current' ? user.sessionId : sessionId;
      await audit.around({ event: 'session-ended', user: user.username, sessionId: id }, origin, async () => {
        if (!SESSION_ID.test(id) || !(await sessions.end(user.username, id))) {
          throw new AppError('session-not-found', 'No such session on your account: it may have ended already.');
        }
      });
    },
    async endAllSessions(user, origin) {
      const ended = await audit.around(
        { event: 'sessions-ended', user: user.username, sessionId: user.sessionId },
        origin,
        () => sessions.endAll(user.username),
        (count) => ({ count }),
      );
      return { ended };
    },
    async passkeyRegistrationOptions(user) {
      return { options: await passkeys.registrationOptions(user) };
    },
    async registerPasskey(user, request, origin) {
      await requireUser(user.username);
      const registered = await audit.around(
        { event: 'passkey-registered', user: user.username, sessionId: user.sessionId },
        origin,
        () => passkeys.register(user, request?.response, deviceName(origin?.userAgent)),
        (result) => ({ passkeyId: result.passkey.credentialId, count: result.endedSessions }),
      );
      return passkeyView(registered.passkey);
    },
    async listPasskeys(user) {
      const rows = await passkeys.list(user.username);
      const fresh = isFresh(user, now());
      return {
        available: passkeys.available,
        required: settings.requirePasskey,
        passkeys: rows.map(passkeyView),
        ...(fresh && user.row.verifiedAt
          ? { verifiedUntil: new Date(Date.parse(user.row.verifiedAt) + STEP_UP_FRESH_MS).toISOString() }
          : {}),
      };
    },
    async removePasskey(user, passkeyId, origin) {
      await audit.around(
        {
          event: 'passkey-removed',
          user: user.username,
          sessionId: user.sessionId,
          passkeyId: passkeyId.slice(0, 200),
        },
        origin,
        () => passkeys.remove(user, passkeyId, settings.requirePasskey),
      );
    },
    async stepUpOptions(user) {
      return { options: await passkeys.stepUpOptions(user) };
    },
    async stepUp(user, request, origin) {
      const until = await audit.around(
        { event: 'step-up', user: user.username, sessionId: user.sessionId },
        origin,
        () => passkeys.stepUp(user, request?.response),
        () => (typeof request?.response?.id === 'string' ? { passkeyId: request.response.id.slice(0, 200) } : {}),
      );
      return { verifiedUntil: until.toISOString() };
    },
  };
}

/** A username the client may leave out; when given, it must be a valid one. */
function optionalUsername(value: unknown): string | undefined {
  return value === undefined || value === null || value === '' ? undefined : normalizeUsername(value);
}

/** Who asked, as stored with a session: the address and a short device name, never the whole User-Agent. */
export function sessionOrigin(origin: RequestOrigin | undefined): SessionOrigin {
  return { clientAddress: origin?.clientAddress ?? 'unknown', device: deviceName(origin?.userAgent) };
}

function sessionResponse(
  user: UserView,
  started: StartedSession,
  passkeySetup: SessionResponse['passkeySetup'],
): SessionResponse {
  return {
    user,
    token: started.accessToken,
    expiresAt: started.accessExpiresAt.toISOString(),
    refreshToken: started.refreshToken,
    refreshExpiresAt: started.row.expiresAt,
    sessionId: started.row.sessionId,
    passkeySetup,
  };
}

function sessionView(row: SessionRow, currentId: string): SessionView {
  return {
    id: row.sessionId,
    device: row.device,
    clientAddress: row.clientAddress,
    method: row.method,
    createdAt: row.createdAt,
    lastSeenAt: row.lastSeenAt,
    expiresAt: row.expiresAt,
    current: row.sessionId === currentId,
  };
}

function passkeyView(row: PasskeyRow): PasskeyView {
  return {
    id: row.credentialId,
    name: row.name,
    createdAt: row.createdAt,
    ...(row.lastUsedAt ? { lastUsedAt: row.lastUsedAt } : {}),
    backedUp: row.backedUp,
  };
}
