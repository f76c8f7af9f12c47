// The narrow table interface the repositories use. Two implementations: Azure Table Storage
// (./azure-entity-table.ts) and an in-memory one with the same conflict semantics for unit tests
// (./memory-entity-table.ts). Conflicts are StorageConflict; every other failure is
// AppError('storage-unavailable').

export interface EntityKeys {
  partitionKey: string;
  rowKey: string;
}

export type Entity = EntityKeys & Record<string, string | number | boolean | undefined>;

export type Stored<T> = T & EntityKeys & { etag: string };

export type TableAction =
  | { kind: 'create'; entity: Entity }
  | { kind: 'update'; entity: Entity; etag: string }
  /** Unconditional: the Azure SDK sends no If-Match for deletes inside a transaction. Fails if the row is gone. */
  | { kind: 'delete'; partitionKey: string; rowKey: string };

export interface EntityTable {
  readonly name: string;
  get<T extends object>(partitionKey: string, rowKey: string): Promise<Stored<T> | undefined>;
  /** Throws StorageConflict('exists') when the keys are taken: the uniqueness guarantee. */
  create(entity: Entity): Promise<{ etag: string }>;
  /** Merge update guarded by the ETag: StorageConflict('changed') when stale, ('missing') when gone. */
  update(entity: Entity, etag: string): Promise<{ etag: string }>;
  /** Guarded delete; a row already gone is not an error (returns false). StorageConflict('changed') when stale. */
  delete(partitionKey: string, rowKey: string, etag: string): Promise<boolean>;
  /** All actions in one partition, all or nothing. Throws StorageConflict on any conflicting action. */
  transact(actions: TableAction[]): Promise<void>;
  /** Rows of one partition in RowKey order, optionally only those whose RowKey starts with a prefix. */
  list<T extends object>(
    partitionKey: string,
    options?: { rowKeyPrefix?: string; limit?: number },
  ): Promise<Array<Stored<T>>>;
}

export type ConflictReason = 'exists' | 'changed' | 'missing';

export class StorageConflict extends Error {
  constructor(
    readonly reason: ConflictReason,
    message: string,
  ) {
    super(message);
    this.name = 'StorageConflict';
  }
}

export function isStorageConflict(error: unknown, reason?: ConflictReason): error is StorageConflict {
  return error instanceof StorageConflict && (reason === undefined || error.reason === reason);
}

/** Row keys may not hold "/", "\", "#", "?" or control characters; the callers' inputs are validated first. */
export function assertSafeKey(key: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
  if (key.length === 0 || key.length > 512 || /[/\\#?\u0000-\u001f\u007f-\u009f]/.test(key)) {
    throw new Error(`Unsafe table key: ${JSON.stringify(key.slice(0, 40))}`);
  }
  return key;
}
