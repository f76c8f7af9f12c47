// Call history per user (newest first: the RowKey starts with an inverted start time) and one claim row
// per routed call. The claim is created with createEntity BEFORE the app transfers or hangs up a call,
// so a duplicate or late event never acts twice. It also holds the call's state (ringing → active →
// completed | failed) and which history rows mirror it: later events read only the claim, move it on
// with its ETag, and write the history rows blindly (no read, no ETag), see routing/call-event-handler.ts.
import type { CallDirection, CallRecordState } from '../api-types';
import { isStorageConflict, type EntityTable, type Stored } from './entity-table';

export interface CallRecord {
  callId: string;
  direction: CallDirection;
  peer: string;
  state: CallRecordState;
  startedAt: string;
  answeredAt?: string;
  endedAt?: string;
  cause?: string;
}

/** A history row of the call, with what a later event needs to write the whole row if it comes first. */
export interface HistoryRef {
  username: string;
  rowKey: string;
  direction: CallDirection;
  peer: string;
}

export interface CallClaim {
  callId: string;
  action: 'transfer' | 'hangup';
  reason?: string; // why a call was hung up (also kept when no user's history records it)
  refs: string; // JSON HistoryRef[]
  transferCallId?: string; // the transferred leg, noted by its first event
  claimedAt: string; // = the history rows' startedAt
  // The call's state, mirrored in every history row.
  state: CallRecordState;
  answeredAt?: string;
  endedAt?: string;
  cause?: string;
  // A call one of our users placed, admitted by the calling limits: whose allowance it uses, whether it goes to
  // a phone number, and its longest length once answered (routing/call-admission.ts).
  limitedUser?: string;
  toPhone?: boolean;
  maxCallSeconds?: number;
  /** When the call, unanswered by the user it rang for, went to their voicemail (the caller may still be on). */
  voicemailAt?: string;
}

export type ClaimChanges = Partial<
  Pick<CallClaim, 'state' | 'answeredAt' | 'endedAt' | 'cause' | 'transferCallId' | 'voicemailAt'>
>;

const MAX_MS = 9_999_999_999_999;
const historyPartition = (username: string) => `user:${username}`;
const claimPartition = (callId: string) => `claim:${callId}`;

export function historyRowKey(callId: string, startedAtMs: number): string {
  return `${String(MAX_MS - startedAtMs).padStart(13, '0')}:${callId}`;
}

export function historyRefs(claim: Pick<CallClaim, 'refs'>): HistoryRef[] {
  return JSON.parse(claim.refs) as HistoryRef[];
}

/** The history row as the claim's state says it is. */
export function historyRecord(claim: CallClaim, ref: HistoryRef): CallRecord {
  const { callId, state, claimedAt: startedAt, answeredAt, endedAt, cause } = claim;
  return { callId, direction: ref.direction, peer: ref.peer, state, startedAt, answeredAt, endedAt, cause };
}

/**
 * The row as stored. A blind Merge cannot delete a property, so an unset time or cause is written as ''
 * (and read back as unset): every write then carries the claim's whole state, e.g. no `answeredAt` left
 * by a leg answer that lost the race to the leg's hang-up.
 */
function historyEntity(ref: HistoryRef, record: CallRecord) {
  const { answeredAt = '', endedAt = '', cause = '' } = record;
  return { partitionKey: historyPartition(ref.username), rowKey: ref.rowKey, ...record, answeredAt, endedAt, cause };
}

export class CallStore {
  constructor(readonly table: EntityTable) {}

  /** False when the call was already claimed (a duplicate or late event). */
  async claim(claim: CallClaim): Promise<boolean> {
    try {
      await this.table.create({ partitionKey: claimPartition(claim.callId), rowKey: 'route', ...claim });
      return true;
    } catch (error) {
      if (isStorageConflict(error, 'exists')) return false;
      throw error;
    }
  }

  async getClaim(callId: string): Promise<Stored<CallClaim> | undefined> {
    const claim = await this.table.get<CallClaim>(claimPartition(callId), 'route');
    return claim && claim.state === undefined ? this.fromHistory(claim) : claim;
  }

  /** ETag-guarded: StorageConflict('changed') when another event moved the claim on first. */
  async updateClaim(claim: Stored<CallClaim>, changes: ClaimChanges): Promise<void> {
    await this.table.update({ partitionKey: claimPartition(claim.callId), rowKey: 'route', ...changes }, claim.etag);
  }

  /** The first write of a row; a row that exists already holds a later state, so it is left alone. */
  async addRecord(ref: HistoryRef, record: CallRecord): Promise<void> {
    try {
      await this.table.create(historyEntity(ref, record));
    } catch (error) {
      if (!isStorageConflict(error, 'exists')) throw error;
    }
  }

  /**
   * Blind write of the whole row (a Merge with `If-Match: *`). A transferred leg's event can come before
   * the row's first write: then the row is created, and a create that loses that race merges again.
   */
  async putRecord(ref: HistoryRef, record: CallRecord): Promise<void> {
    const entity = historyEntity(ref, record);
    try {
      await this.table.update(entity, '*');
      return;
    } catch (error) {
      if (!isStorageConflict(error, 'missing')) throw error;
    }
    try {
      await this.table.create(entity);
    } catch (error) {
      if (!isStorageConflict(error, 'exists')) throw error;
      await this.table.update(entity, '*');
    }
  }

  async list(username: string, limit = 50): Promise<CallRecord[]> {
    const rows = await this.table.list<CallRecord>(historyPartition(username), { limit });
    return rows.map(({ etag: _e, partitionKey: _p, rowKey: _r, ...record }) => withoutEmpty(record));
  }

  /**
   * A claim written before claims held the call's state (a call in flight across that deploy): its rows
   * were all written before the transfer, so take the state from them. The next claim update stores it.
   */
  private async fromHistory(claim: Stored<CallClaim>): Promise<Stored<CallClaim>> {
    const refs = JSON.parse(claim.refs) as Array<Pick<HistoryRef, 'username' | 'rowKey'>>;
    const rows = await Promise.all(
      refs.map((ref) => this.table.get<CallRecord>(historyPartition(ref.username), ref.rowKey)),
    );
    const found = refs.flatMap((ref, i) => {
      const row = rows[i];
      return row ? [{ ref: { ...ref, direction: row.direction, peer: row.peer }, row }] : [];
    });
    const row = found[0] && withoutEmpty(found[0].row);
    return {
      ...claim,
      refs: JSON.stringify(found.map((f) => f.ref)),
      state: row?.state ?? (claim.action === 'hangup' ? 'failed' : 'ringing'),
      answeredAt: row?.answeredAt,
      endedAt: row?.endedAt ?? (claim.action === 'hangup' ? claim.claimedAt : undefined),
      cause: row?.cause ?? claim.reason,
    };
  }
}

function withoutEmpty(record: CallRecord): CallRecord {
  const { answeredAt, endedAt, cause, ...rest } = record;
  return {
    ...rest,
    ...(answeredAt ? { answeredAt } : {}),
    ...(endedAt ? { endedAt } : {}),
    ...(cause ? { cause } : {}),
  };
}
