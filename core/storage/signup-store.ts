// Pending sign-ups: one partition with "s:<username>" (the state of a running sign-up) and "n:<e164>"
// (the number it is ordering) created in one transaction, so neither a username nor a number can be in
// two sign-ups at once. `leaseUntil` marks the attempt that owns the row; an expired lease may be taken
// over (by a retry or the stale sweep) with an ETag-guarded update.
import { isStorageConflict, type EntityTable, type Stored } from './entity-table';

export interface PendingSignup {
  username: string;
  number: string;
  /** The identity's SIP password, sealed, when the provider's identities have one. */
  sipPasswordSealed?: string;
  startedAt: string;
  leaseUntil: number; // epoch ms
  /** An order placed but not complete yet (Bandwidth orders are asynchronous): the retry resumes it. */
  orderRef?: string;
  numberId?: string;
  endpointId?: string;
}

export type BeginResult =
  | { started: true; pending: Stored<PendingSignup> }
  | { started: false; existing?: Stored<PendingSignup>; numberHeldBy?: string };

const PARTITION = 'pending';
const signupRow = (username: string) => `s:${username}`;
const numberRow = (e164: string) => `n:${e164}`;

export class SignupStore {
  constructor(readonly table: EntityTable) {}

  get(username: string): Promise<Stored<PendingSignup> | undefined> {
    return this.table.get<PendingSignup>(PARTITION, signupRow(username));
  }

  async begin(pending: PendingSignup): Promise<BeginResult> {
    try {
      await this.table.transact([
        { kind: 'create', entity: { partitionKey: PARTITION, rowKey: signupRow(pending.username), ...pending } },
        {
          kind: 'create',
          entity: { partitionKey: PARTITION, rowKey: numberRow(pending.number), username: pending.username },
        },
      ]);
    } catch (error) {
      if (!isStorageConflict(error, 'exists')) throw error;
      const existing = await this.get(pending.username);
      const holder = await this.table.get<{ username: string }>(PARTITION, numberRow(pending.number));
      return { started: false, existing, numberHeldBy: holder?.username };
    }
    const stored = await this.get(pending.username);
    if (!stored) throw new Error('A pending sign-up vanished right after it was written');
    return { started: true, pending: stored };
  }

  /** ETag-guarded merge; returns the row with its new ETag. Throws StorageConflict('changed') if someone took it over. */
  async update(current: Stored<PendingSignup>, changes: Partial<PendingSignup>): Promise<Stored<PendingSignup>> {
    const { etag: _old, partitionKey: _pk, rowKey: _rk, ...fields } = current;
    const next = { ...fields, ...changes };
    const { etag } = await this.table.update(
      { partitionKey: PARTITION, rowKey: signupRow(current.username), ...next },
      current.etag,
    );
    return { ...current, ...next, etag };
  }

  /** Removes both rows (the sign-up is finished or rolled back). */
  async finish(pending: PendingSignup): Promise<void> {
    try {
      await this.table.transact([
        { kind: 'delete', partitionKey: PARTITION, rowKey: signupRow(pending.username) },
        { kind: 'delete', partitionKey: PARTITION, rowKey: numberRow(pending.number) },
      ]);
    } catch (error) {
      if (!isStorageConflict(error, 'missing')) throw error;
      // One of the rows is already gone (a concurrent finish): remove whatever is left, one by one.
      await this.table.delete(PARTITION, signupRow(pending.username), '*');
      await this.table.delete(PARTITION, numberRow(pending.number), '*');
    }
  }

  async listAll(): Promise<Array<Stored<PendingSignup>>> {
    return this.table.list<PendingSignup>(PARTITION, { rowKeyPrefix: 's:' });
  }
}
