// Call history per user (newest first: the RowKey starts with an inverted start time) and one claim row
// per routed call. The claim is created with createEntity BEFORE the app transfers or hangs up a call,
// so a duplicate or late event never acts twice; it also remembers which history rows the call's later
// events (its own hangup, the transferred leg's answer/hangup) must update.
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

export interface HistoryRef {
  username: string;
  rowKey: string;
}

export interface CallClaim {
  callId: string;
  action: 'transfer' | 'hangup';
  reason?: string; // why a call was hung up (also kept when no user's history records it)
  refs: string; // JSON HistoryRef[]
  transferCallId?: string;
  claimedAt: string;
}

const MAX_MS = 9_999_999_999_999;
const historyPartition = (username: string) => `user:${username}`;
const claimPartition = (callId: string) => `claim:${callId}`;

export function historyRowKey(callId: string, startedAtMs: number): string {
  return `${String(MAX_MS - startedAtMs).padStart(13, '0')}:${callId}`;
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

  getClaim(callId: string): Promise<Stored<CallClaim> | undefined> {
    return this.table.get<CallClaim>(claimPartition(callId), 'route');
  }

  async setTransferCallId(claim: Stored<CallClaim>, transferCallId: string): Promise<void> {
    await this.table.update({ partitionKey: claimPartition(claim.callId), rowKey: 'route', transferCallId }, claim.etag);
  }

  async addRecord(ref: HistoryRef, record: CallRecord): Promise<void> {
    try {
      await this.table.create({ partitionKey: historyPartition(ref.username), rowKey: ref.rowKey, ...record });
    } catch (error) {
      if (!isStorageConflict(error, 'exists')) throw error;
    }
  }

  /** Read-modify-write with the ETag, retried when a concurrent event changed the row first. */
  async updateRecord(ref: HistoryRef, change: (current: CallRecord) => Partial<CallRecord> | undefined): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = await this.table.get<CallRecord>(historyPartition(ref.username), ref.rowKey);
      if (!current) return;
      const changes = change(current);
      if (!changes) return;
      try {
        await this.table.update({ partitionKey: historyPartition(ref.username), rowKey: ref.rowKey, ...changes }, current.etag);
        return;
      } catch (error) {
        if (!isStorageConflict(error)) throw error;
      }
    }
  }

  async list(username: string, limit = 50): Promise<CallRecord[]> {
    const rows = await this.table.list<CallRecord>(historyPartition(username), { limit });
    return rows.map(({ etag: _e, partitionKey: _p, rowKey: _r, ...record }) => record);
  }
}
