// The Accounts table: each user's security state in ONE partition (the username), so that everything a log-in,
// a passkey registration or "log out everywhere" must decide together is read in one query and written in one
// transaction, guarded by the account row's ETag:
//   "account"          the passkey count, the WebAuthn user handle, when sessions were last all ended
//   "passkey:<hash>"   one per passkey (sha256 of the credential id, hex: ids can be long and any bytes)
//   "session:<id>"     one per log-in session (core/accounts/sessions.ts)
// Plus the partition "~handles" (no username starts with "~"): user handle → username, for passkey log-in
// without a username (the browser tells which account it picked only by the handle).
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../errors';
import {
  isStorageConflict,
  type Entity,
  type EntityTable,
  type Stored,
  type TableAction,
} from '../storage/entity-table';
import { OneAtATime } from '../storage/one-at-a-time';

export interface AccountRow {
  /** The WebAuthn user handle (random, base64url): not the username, as the spec asks. */
  userHandle: string;
  passkeyCount: number;
  createdAt: string;
  /** When "log out everywhere" last ended every session (ISO). */
  sessionsEndedAt?: string;
}

export interface PasskeyRow {
  credentialId: string; // base64url
  publicKey: string; // COSE public key, base64url
  counter: number;
  /** JSON array of the transports the browser reported, for allowCredentials hints. */
  transports: string;
  deviceType: string; // 'singleDevice' | 'multiDevice'
  backedUp: boolean;
  /** Shown in the account screen: the device it was made on. */
  name: string;
  createdAt: string;
  lastUsedAt?: string;
}

export interface SessionRow {
  sessionId: string;
  createdAt: string;
  /** Absolute end of the session (SESSION_TTL_HOURS after log-in). */
  expiresAt: string;
  lastSeenAt: string;
  /** What the person logged in with. */
  method: 'username' | 'passkey' | 'signup';
  /** Last passkey use in this session (log-in, registration or step-up), ISO; absent = never. */
  verifiedAt?: string;
  /** The session may only register a passkey (REQUIRE_PASSKEY and none yet). */
  setupRequired: boolean;
  device: string;
  clientAddress: string;
  /** sha256 of the refresh secret, base64url: the secret itself is never stored. */
  refreshHash: string;
  /** Calling tokens minted in this session since tokenWindowStart (sessions.ts countCallingToken). */
  tokensInWindow?: number;
  tokenWindowStart?: string;
}

export interface AccountState {
  account?: Stored<AccountRow>;
  passkeys: Array<Stored<PasskeyRow>>;
  sessions: Array<Stored<SessionRow>>;
}

const ACCOUNT_ROW = 'account';
const PASSKEY_PREFIX = 'passkey:';
const SESSION_PREFIX = 'session:';
const HANDLES_PARTITION = '~handles';

export const passkeyRowKey = (credentialId: string) =>
  PASSKEY_PREFIX + createHash('sha256').update(credentialId).digest('hex');
export const sessionRowKey = (sessionId: string) => SESSION_PREFIX + sessionId;

export class AccountStore {
  private readonly queue = new OneAtATime();

  constructor(readonly table: EntityTable) {}

  /**
   * A read-decide-write of one account: queued behind the others of the same account on this instance, and run
   * again when another instance wins the race (retryOnConflict).
   */
  change<T>(username: string, work: () => Promise<T>): Promise<T> {
    return this.queue.run(username, () => retryOnConflict(work));
  }

  /** The whole partition in one query: the account row, its passkeys and its sessions. */
  async load(username: string): Promise<AccountState> {
    const rows = await this.table.list<Record<string, unknown>>(username);
    const state: AccountState = { passkeys: [], sessions: [] };
    for (const row of rows) {
      if (row.rowKey === ACCOUNT_ROW) state.account = row as unknown as Stored<AccountRow>;
      else if (row.rowKey.startsWith(PASSKEY_PREFIX)) state.passkeys.push(row as unknown as Stored<PasskeyRow>);
      else if (row.rowKey.startsWith(SESSION_PREFIX)) state.sessions.push(row as unknown as Stored<SessionRow>);
    }
    return state;
  }

  getSession(username: string, sessionId: string): Promise<Stored<SessionRow> | undefined> {
    return this.table.get<SessionRow>(username, sessionRowKey(sessionId));
  }

  getPasskey(username: string, credentialId: string): Promise<Stored<PasskeyRow> | undefined> {
    return this.table.get<PasskeyRow>(username, passkeyRowKey(credentialId));
  }

  /** The username a user handle belongs to (checked against the account row by the caller). */
  async usernameForHandle(userHandle: string): Promise<string | undefined> {
    if (!/^[A-Za-z0-9_-]{1,128}$/.test(userHandle)) return undefined;
    return (await this.table.get<{ username: string }>(HANDLES_PARTITION, userHandle))?.username;
  }

  /** Records handle → username before the account row names it (an unused index row is harmless). */
  async indexHandle(userHandle: string, username: string): Promise<void> {
    try {
      await this.table.create({ partitionKey: HANDLES_PARTITION, rowKey: userHandle, username });
    } catch (error) {
      if (!isStorageConflict(error, 'exists')) throw error;
    }
  }

  /** All-or-nothing changes to one account's partition; StorageConflict when another change came first. */
  transact(actions: TableAction[]): Promise<void> {
    return this.table.transact(actions);
  }

  /** The action that creates (no row yet) or ETag-updates the account row. */
  accountAction(username: string, current: Stored<AccountRow> | undefined, row: AccountRow): TableAction {
    const entity = { partitionKey: username, rowKey: ACCOUNT_ROW, ...row } as Entity;
    return current ? { kind: 'update', entity, etag: current.etag } : { kind: 'create', entity };
  }

  passkeyEntity(username: string, row: PasskeyRow): Entity {
    return { partitionKey: username, rowKey: passkeyRowKey(row.credentialId), ...row };
  }

  sessionEntity(username: string, row: SessionRow): Entity {
    return { partitionKey: username, rowKey: sessionRowKey(row.sessionId), ...row };
  }

  /** Merge of some fields of one row, guarded by its ETag. */
  update(username: string, rowKey: string, changes: Record<string, string | number | boolean>, etag: string) {
    return this.table.update({ partitionKey: username, rowKey, ...changes }, etag);
  }

  delete(username: string, rowKey: string, etag: string): Promise<boolean> {
    return this.table.delete(username, rowKey, etag);
  }
}

/** How long one change keeps trying while others win the race, before it answers "busy, try again". */
const RETRY_FOR_MS = 10_000;
/** The longest pause between two tries. */
const MAX_PAUSE_MS = 500;

/**
 * Runs a read-decide-write of one account again while another change to the same partition wins the race
 * (StorageConflict: an ETag moved, a row appeared or went away). Pauses are random and double each try ("full
 * jitter"), and the tries go on for a time rather than a count: only one racer wins each round, so a burst of
 * copies of one request (a client retrying a sign-up or log-in many times at once) must spread out to all get
 * through, however slow storage is under load, while a lone race retries at once.
 */
export async function retryOnConflict<T>(work: () => Promise<T>, retryForMs = RETRY_FOR_MS): Promise<T> {
  const deadline = Date.now() + retryForMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!isStorageConflict(error)) throw error;
      if (Date.now() >= deadline) {
        throw new AppError('storage-unavailable', 'Your account is busy with another change. Try again.', undefined, {
          cause: error,
        });
      }
      await sleep(Math.random() * Math.min(MAX_PAUSE_MS, 5 * 2 ** attempt));
    }
  }
}
