// Users, unique by username AND by phone number: one partition holds "u:<username>" rows and
// "p:<e164>" index rows, created in ONE transaction, so a duplicate of either fails the whole write
// and never leaves an orphan (docs/contracts/azure-functions.md §6.3). Keys are only ever built from a normalised
// username or a strict E.164 number.
import { isStorageConflict, type EntityTable, type Stored } from './entity-table';

export interface UserRecord {
  username: string;
  number: string; // E.164
  nationalNumber: string;
  /** The provider's reference of the number (Catapult: its id; Bandwidth: the order that brought it). */
  numberId: string;
  // The user's calling identity, where the provider has one (Catapult: a SIP endpoint; Bandwidth: none).
  endpointId?: string;
  sipUri?: string;
  realm?: string;
  sipPasswordSealed?: string; // AES-256-GCM, see crypto/secret-box.ts
  /** A rotation under way (users/sip-password.ts): sealed like sipPasswordSealed; '' when none. */
  sipPasswordPendingSealed?: string;
  createdAt: string;
}

export type CreateUserResult = { created: true } | { created: false; existing?: Stored<UserRecord> };

const PARTITION = 'users';
const userRow = (username: string) => `u:${username}`;
const numberRow = (e164: string) => `p:${e164}`;

export class UserStore {
  constructor(readonly table: EntityTable) {}

  get(username: string): Promise<Stored<UserRecord> | undefined> {
    return this.table.get<UserRecord>(PARTITION, userRow(username));
  }

  async getByNumber(e164: string): Promise<Stored<UserRecord> | undefined> {
    const index = await this.table.get<{ username: string }>(PARTITION, numberRow(e164));
    return index ? this.get(index.username) : undefined;
  }

  /** Every user (the doctor and the upkeep compare them with what the provider holds). */
  listAll(): Promise<Array<Stored<UserRecord>>> {
    return this.table.list<UserRecord>(PARTITION, { rowKeyPrefix: 'u:' });
  }

  /** ETag-guarded merge of a user's own fields (never the username or number, which are keys). */
  async update(current: Stored<UserRecord>, changes: Partial<Omit<UserRecord, 'username' | 'number'>>): Promise<void> {
    await this.table.update({ partitionKey: PARTITION, rowKey: userRow(current.username), ...changes }, current.etag);
  }

  /** `created:false` when the username or the number is already taken (`existing` = the username's row, if any). */
  async create(user: UserRecord): Promise<CreateUserResult> {
    try {
      await this.table.transact([
        { kind: 'create', entity: { partitionKey: PARTITION, rowKey: userRow(user.username), ...user } },
        {
          kind: 'create',
          entity: { partitionKey: PARTITION, rowKey: numberRow(user.number), username: user.username },
        },
      ]);
      return { created: true };
    } catch (error) {
      if (!isStorageConflict(error, 'exists')) throw error;
      return { created: false, existing: await this.get(user.username) };
    }
  }
}
