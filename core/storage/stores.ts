// Builds the four stores (and the limits' table) over Azure tables (or in-memory tables for unit tests).
import type { Logger } from '../log';
import { createAzureEntityTable } from './azure-entity-table';
import { BootstrapStore } from './bootstrap-store';
import { CallStore } from './call-store';
import type { EntityTable } from './entity-table';
import { MemoryEntityTable } from './memory-entity-table';
import { SignupStore } from './signup-store';
import { UserStore } from './user-store';
import type { StorageClientAccess } from './storage-access';

export interface Stores {
  users: UserStore;
  signups: SignupStore;
  bootstrap: BootstrapStore;
  calls: CallStore;
}

export interface StoreTables {
  users: EntityTable;
  signups: EntityTable;
  bootstrap: EntityTable;
  calls: EntityTable;
  /** The cost and fraud limits' counters (core/limits/); the calling limits live here too. */
  limits: EntityTable;
  /** Sessions, passkeys and user handles (core/accounts/account-store.ts). */
  accounts: EntityTable;
  /** Used passkey challenges (core/accounts/challenges.ts). */
  challenges: EntityTable;
}

export function storesFromTables(tables: StoreTables): Stores {
  return {
    users: new UserStore(tables.users),
    signups: new SignupStore(tables.signups),
    bootstrap: new BootstrapStore(tables.bootstrap),
    calls: new CallStore(tables.calls),
  };
}

/** Table names are `<prefix>Users`, … (prefix: letters and digits; tests use a unique one each). */
export function createAzureTables(
  options: StorageClientAccess & { tablePrefix?: string; timeoutMs?: number; logger?: Logger },
): StoreTables {
  const prefix = options.tablePrefix ?? 'vra';
  if (!/^[A-Za-z][A-Za-z0-9]{0,40}$/.test(prefix))
    throw new Error('The table prefix must be letters and digits, starting with a letter');
  const access: StorageClientAccess =
    'connectionString' in options
      ? { connectionString: options.connectionString }
      : { endpoint: options.endpoint, credential: options.credential };
  const table = (suffix: string) =>
    createAzureEntityTable({
      ...access,
      tableName: prefix + suffix,
      timeoutMs: options.timeoutMs,
      logger: options.logger,
    });
  return {
    users: table('Users'),
    signups: table('Signups'),
    bootstrap: table('Bootstrap'),
    calls: table('Calls'),
    limits: table('Limits'),
    accounts: table('Accounts'),
    challenges: table('Challenges'),
  };
}

export function createMemoryTables(): StoreTables & Record<keyof StoreTables, MemoryEntityTable> {
  return {
    users: new MemoryEntityTable('users'),
    signups: new MemoryEntityTable('signups'),
    bootstrap: new MemoryEntityTable('bootstrap'),
    calls: new MemoryEntityTable('calls'),
    limits: new MemoryEntityTable('limits'),
    accounts: new MemoryEntityTable('accounts'),
    challenges: new MemoryEntityTable('challenges'),
  };
}
