// The app's one-time provider resources: a "state" row with the planned names (written BEFORE anything is
// created, so a takeover after a crash finds them by name) and the ids once known, plus a "lease" row
// created with createEntity so only one cold start creates resources at a time (and a "maintenance" lease
// row so only one instance runs the periodic upkeep at a time). Which fields the state
// holds is the provider's business (Catapult: applicationName/domainName/applicationId/domainId).
import type { SetupState } from '../provider/voice-provider';
import { isStorageConflict, type EntityTable, type Stored } from './entity-table';

export type BootstrapState = SetupState;

export interface BootstrapLease {
  owner: string;
  expiresAt: number; // epoch ms
}

const PARTITION = 'app';

/** "lease" guards the set-up; "maintenance" the periodic upkeep (core/doctor/maintenance.ts). */
export type LeaseName = 'lease' | 'maintenance';

export class BootstrapStore {
  constructor(readonly table: EntityTable) {}

  getState(): Promise<Stored<BootstrapState> | undefined> {
    return this.table.get<BootstrapState>(PARTITION, 'state');
  }

  /** Creates the state row with the planned names, or returns the row someone else wrote first. */
  async planState(state: BootstrapState): Promise<Stored<BootstrapState>> {
    try {
      await this.table.create({ partitionKey: PARTITION, rowKey: 'state', ...state });
    } catch (error) {
      if (!isStorageConflict(error, 'exists')) throw error;
    }
    const stored = await this.getState();
    if (!stored) throw new Error('The bootstrap state vanished right after it was written');
    return stored;
  }

  async updateState(
    current: Stored<BootstrapState>,
    changes: Partial<BootstrapState>,
  ): Promise<Stored<BootstrapState>> {
    const { etag: _old, partitionKey: _pk, rowKey: _rk, ...fields } = current;
    const next = { ...fields, ...changes, updatedAt: new Date().toISOString() };
    const { etag } = await this.table.update({ partitionKey: PARTITION, rowKey: 'state', ...next }, current.etag);
    return { ...current, ...next, etag };
  }

  /** True when this owner now holds the lease (fresh, or taken over after it expired). */
  async acquireLease(owner: string, ttlMs: number, now = Date.now(), name: LeaseName = 'lease'): Promise<boolean> {
    try {
      await this.table.create({ partitionKey: PARTITION, rowKey: name, owner, expiresAt: now + ttlMs });
      return true;
    } catch (error) {
      if (!isStorageConflict(error, 'exists')) throw error;
    }
    const lease = await this.table.get<BootstrapLease>(PARTITION, name);
    if (!lease) return this.acquireLease(owner, ttlMs, now, name);
    if (lease.owner === owner) return true;
    if (lease.expiresAt > now) return false;
    try {
      await this.table.update({ partitionKey: PARTITION, rowKey: name, owner, expiresAt: now + ttlMs }, lease.etag);
      return true;
    } catch (error) {
      if (isStorageConflict(error)) return false; // someone else took it over first
      throw error;
    }
  }

  async releaseLease(owner: string, name: LeaseName = 'lease'): Promise<void> {
    const lease = await this.table.get<BootstrapLease>(PARTITION, name);
    if (lease?.owner !== owner) return;
    try {
      await this.table.delete(PARTITION, name, lease.etag);
    } catch (error) {
      if (!isStorageConflict(error)) throw error;
    }
  }
}
