// Log-in sessions that can end. A session is a row in the account's partition (account-store.ts); the person
// holds a refresh token for it (SESSION_TTL_HOURS) and short-lived access tokens (ACCESS_TOKEN_SECONDS) naming it.
//
// Why an access token is checked against the stored row on use: a token that is only signed cannot be taken
// back, and "log out" must mean the token stops working at once. The check is one point read (partition + row
// key); a per-instance cache keeps a row for SESSION_CHECK_CACHE_MS to absorb bursts (the dialpad asks for its
// user, history and calling token together when it opens). Trade-off: the instance that ends a session drops it
// from its cache, so there the next request is refused at once; another instance may accept that session's
// access token for at most SESSION_CHECK_CACHE_MS more. Never longer, and never for a refresh, which always reads.
import { AppError } from '../errors';
import type { Logger } from '../log';
import { isStorageConflict, type Stored, type TableAction } from '../storage/entity-table';
import {
  bearerToken,
  issueAccessToken,
  issueRefreshToken,
  newSessionId,
  parseRefreshToken,
  sameText,
  verifyAccessToken,
  type SessionTokenKeys,
} from '../auth/session-tokens';
import { sessionRowKey, type AccountRow, type AccountState, type AccountStore, type SessionRow } from './account-store';
import { newUserHandle } from './user-handle';

export const ACCESS_TOKEN_SECONDS = 10 * 60;
export const SESSION_CHECK_CACHE_MS = 2_000;
/** The most sessions one account keeps; a new log-in beyond it ends the least recently used one. */
export const MAX_SESSIONS = 20;
/**
 * Calling tokens one session may mint per window. The dialpad needs one per registration (about one an hour, plus
 * one per reload or reconnect); a stolen session must not mint them without limit. Counted on the stored session
 * row, so every instance sees the same count.
 */
export const CALLING_TOKENS_PER_WINDOW = 30;
export const CALLING_TOKEN_WINDOW_MS = 60 * 60_000;
/** lastSeenAt is rewritten at most this often (on refresh), so refreshing stays a read. */
const LAST_SEEN_RESOLUTION_MS = 5 * 60_000;
const CACHE_LIMIT = 10_000;

export interface SessionOrigin {
  clientAddress: string;
  device: string;
}

export interface NewSession {
  method: SessionRow['method'];
  /** A passkey was used to start it. */
  verified: boolean;
  setupRequired: boolean;
}

export interface StartedSession {
  row: SessionRow;
  accessToken: string;
  accessExpiresAt: Date;
  refreshToken: string;
}

/** A verified access token and its live session. */
export interface ActiveSession {
  username: string;
  sessionId: string;
  row: SessionRow;
}

export interface SessionServiceOptions {
  store: AccountStore;
  keys: SessionTokenKeys;
  ttlHours: number;
  now: () => number;
  logger: Logger;
}

export class SessionService {
  private readonly cache = new Map<string, { row: SessionRow | undefined; until: number }>();
  private readonly inFlight = new Map<string, Promise<SessionRow | undefined>>();

  constructor(private readonly options: SessionServiceOptions) {}

  /**
   * Starts a session in ONE transaction with the account row (ETag-guarded), so it cannot slip past a change
   * decided on the same state: `guard` sees that state first and throws to refuse (e.g. a passkey exists).
   */
  async start(
    username: string,
    kind: NewSession,
    origin: SessionOrigin,
    guard: (state: AccountState) => void = () => undefined,
  ): Promise<StartedSession> {
    const { store, now } = this.options;
    return store.change(username, async () => {
      const state = await store.load(username);
      guard(state);
      const at = new Date(now());
      const sessionId = newSessionId();
      const refresh = issueRefreshToken({ username, sessionId });
      const row: SessionRow = {
        sessionId,
        createdAt: at.toISOString(),
        expiresAt: new Date(at.getTime() + this.options.ttlHours * 3_600_000).toISOString(),
        lastSeenAt: at.toISOString(),
        method: kind.method,
        ...(kind.verified ? { verifiedAt: at.toISOString() } : {}),
        setupRequired: kind.setupRequired,
        device: origin.device,
        clientAddress: origin.clientAddress,
        refreshHash: refresh.hash,
      };
      const account = state.account ?? (await this.newAccount(username, at));
      await store.transact([
        store.accountAction(username, state.account, account),
        { kind: 'create', entity: store.sessionEntity(username, row) },
        ...this.retire(username, state.sessions, at.getTime()),
      ]);
      const access = this.accessToken(username, row);
      return { row, accessToken: access.token, accessExpiresAt: access.expiresAt, refreshToken: refresh.token };
    });
  }

  /** The live session behind an "Authorization: Bearer" header; AppError('unauthorized') otherwise. */
  async authenticate(header: string | undefined): Promise<ActiveSession> {
    const claims = verifyAccessToken(this.options.keys, bearerToken(header), this.options.now());
    const row = await this.cachedRow(claims.username, claims.sessionId);
    if (!row) throw new AppError('unauthorized', 'This session has ended. Log in again.');
    if (Date.parse(row.expiresAt) <= this.options.now()) {
      throw new AppError('unauthorized', 'This session has expired. Log in again.');
    }
    return { username: claims.username, sessionId: claims.sessionId, row };
  }

  /** A new access token for a refresh token whose session is still live (always read, never cached). */
  async refresh(refreshToken: string): Promise<{ username: string; accessToken: string; accessExpiresAt: Date }> {
    const claims = parseRefreshToken(refreshToken);
    const row = await this.options.store.getSession(claims.username, claims.sessionId);
    if (!row || !sameText(claims.hash, row.refreshHash)) {
      throw new AppError('unauthorized', 'This session has ended. Log in again.');
    }
    const now = this.options.now();
    if (Date.parse(row.expiresAt) <= now) throw new AppError('unauthorized', 'This session has expired. Log in again.');
    if (now - Date.parse(row.lastSeenAt) >= LAST_SEEN_RESOLUTION_MS) {
      await this.options.store
        .update(claims.username, sessionRowKey(row.sessionId), { lastSeenAt: new Date(now).toISOString() }, row.etag)
        .catch((error: unknown) => {
          if (!isStorageConflict(error)) throw error; // a concurrent refresh or end wrote first: fine either way
        });
    }
    this.forget(claims.username, claims.sessionId);
    const access = this.accessToken(claims.username, row);
    return { username: claims.username, accessToken: access.token, accessExpiresAt: access.expiresAt };
  }

  /**
   * Counts one calling token against the session's window (ETag-guarded, so concurrent mints each count);
   * AppError('rate-limited') once CALLING_TOKENS_PER_WINDOW were minted in the current window.
   */
  async countCallingToken(session: ActiveSession): Promise<void> {
    const { store, now } = this.options;
    await store.change(session.username, async () => {
      const row = await store.getSession(session.username, session.sessionId);
      if (!row) throw new AppError('unauthorized', 'This session has ended. Log in again.');
      const at = now();
      const start = row.tokenWindowStart ? Date.parse(row.tokenWindowStart) : Number.NaN;
      const inWindow = at - start < CALLING_TOKEN_WINDOW_MS;
      const used = inWindow ? (row.tokensInWindow ?? 0) : 0;
      if (used >= CALLING_TOKENS_PER_WINDOW) {
        const retry = new Date(start + CALLING_TOKEN_WINDOW_MS).toISOString();
        throw new AppError('rate-limited', `Too many calling tokens for this session. Try again after ${retry}.`);
      }
      const changes: Record<string, number | string> = inWindow
        ? { tokensInWindow: used + 1 }
        : { tokensInWindow: 1, tokenWindowStart: new Date(at).toISOString() };
      await store.update(session.username, sessionRowKey(session.sessionId), changes, row.etag);
    });
  }

  /** Live sessions, most recently used first. */
  async list(username: string): Promise<SessionRow[]> {
    const { sessions } = await this.options.store.load(username);
    const now = this.options.now();
    return sessions
      .filter((row) => Date.parse(row.expiresAt) > now)
      .sort((a, b) => b.lastSeenAt.localeCompare(a.lastSeenAt) || b.createdAt.localeCompare(a.createdAt));
  }

  /** Ends one session; false when it had already ended. */
  async end(username: string, sessionId: string): Promise<boolean> {
    const ended = await this.options.store.delete(username, sessionRowKey(sessionId), '*');
    this.forget(username, sessionId);
    return ended;
  }

  /** Ends every session of the account in one transaction; returns how many there were. */
  async endAll(username: string): Promise<number> {
    const { store, now } = this.options;
    return store.change(username, async () => {
      const state = await store.load(username);
      if (!state.account && state.sessions.length === 0) return 0;
      const at = new Date(now()).toISOString();
      const account: AccountRow = state.account
        ? { ...accountFields(state.account), sessionsEndedAt: at }
        : await this.newAccount(username, new Date(now()));
      await store.transact([
        store.accountAction(username, state.account, account),
        ...state.sessions.map((row): TableAction => ({ kind: 'delete', partitionKey: username, rowKey: row.rowKey })),
      ]);
      for (const row of state.sessions) this.forget(username, row.sessionId);
      return state.sessions.length;
    });
  }

  /** Drops a session from this instance's cache after it changed (ended, verified, set up). */
  forget(username: string, sessionId: string): void {
    this.cache.delete(cacheKey(username, sessionId));
    this.inFlight.delete(cacheKey(username, sessionId));
  }

  /** The actions that delete expired sessions and, beyond MAX_SESSIONS - 1 live ones, the least recently used. */
  retire(username: string, sessions: Array<Stored<SessionRow>>, now: number): TableAction[] {
    const live = sessions
      .filter((row) => Date.parse(row.expiresAt) > now)
      .sort((a, b) => b.lastSeenAt.localeCompare(a.lastSeenAt));
    const retired = [...sessions.filter((row) => Date.parse(row.expiresAt) <= now), ...live.slice(MAX_SESSIONS - 1)];
    for (const row of retired) this.forget(username, row.sessionId);
    return retired.map((row) => ({ kind: 'delete', partitionKey: username, rowKey: row.rowKey }));
  }

  /** An account row for a user who has none yet, its user handle indexed first. */
  async newAccount(username: string, at: Date): Promise<AccountRow> {
    const userHandle = newUserHandle();
    await this.options.store.indexHandle(userHandle, username);
    return { userHandle, passkeyCount: 0, createdAt: at.toISOString() };
  }

  private accessToken(username: string, row: SessionRow) {
    const until = Math.min(this.options.now() + ACCESS_TOKEN_SECONDS * 1000, Date.parse(row.expiresAt));
    return issueAccessToken(this.options.keys, { username, sessionId: row.sessionId }, new Date(until));
  }

  private async cachedRow(username: string, sessionId: string): Promise<SessionRow | undefined> {
    const key = cacheKey(username, sessionId);
    const now = this.options.now();
    const cached = this.cache.get(key);
    if (cached && cached.until > now) return cached.row;
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const read = this.options.store.getSession(username, sessionId);
    this.inFlight.set(key, read);
    let row: SessionRow | undefined;
    try {
      row = await read;
    } catch (error) {
      if (this.inFlight.get(key) === read) this.inFlight.delete(key); // a failed read is not a miss: not cached
      throw error;
    }
    // forget() during the read (the session ended meanwhile) removed it: then its answer is not cached.
    if (this.inFlight.get(key) === read) {
      this.inFlight.delete(key);
      this.remember(key, row);
    }
    return row;
  }

  private remember(key: string, row: SessionRow | undefined): void {
    if (this.cache.size >= CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, { row, until: this.options.now() + SESSION_CHECK_CACHE_MS });
  }
}

/** The account row's own fields, without the table's keys and ETag. */
export function accountFields(row: Stored<AccountRow>): AccountRow {
  return {
    userHandle: row.userHandle,
    passkeyCount: row.passkeyCount,
    createdAt: row.createdAt,
    ...(row.sessionsEndedAt ? { sessionsEndedAt: row.sessionsEndedAt } : {}),
  };
}

function cacheKey(username: string, sessionId: string): string {
  return `${username}/${sessionId}`;
}
