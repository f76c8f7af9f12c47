// In-memory EntityTable with Azure's semantics (409 on create, ETag checks, atomic single-partition
// transactions). For unit tests and for other engineers' tests that need a VoiceApp without Azurite.
import { AppError } from '../errors';
import {
  assertSafeKey,
  StorageConflict,
  type Entity,
  type EntityTable,
  type Stored,
  type TableAction,
} from './entity-table';

export class MemoryEntityTable implements EntityTable {
  private readonly rows = new Map<string, Stored<Entity>>();
  private version = 0;
  /** Set to make every call fail like an unreachable storage account. */
  down = false;

  constructor(readonly name = 'memory') {}

  async get<T extends object>(partitionKey: string, rowKey: string): Promise<Stored<T> | undefined> {
    this.check();
    const row = this.rows.get(key(assertSafeKey(partitionKey), assertSafeKey(rowKey)));
    return row ? ({ ...row } as unknown as Stored<T>) : undefined;
  }

  async create(entity: Entity): Promise<{ etag: string }> {
    this.check();
    return this.apply([{ kind: 'create', entity }])[0]!; // one action, one result
  }

  async update(entity: Entity, etag: string): Promise<{ etag: string }> {
    this.check();
    return this.apply([{ kind: 'update', entity, etag }])[0]!; // one action, one result
  }

  async delete(partitionKey: string, rowKey: string, etag: string): Promise<boolean> {
    this.check();
    const existing = this.rows.get(key(partitionKey, rowKey));
    if (!existing) return false;
    if (etag !== '*' && existing.etag !== etag)
      throw new StorageConflict('changed', `${this.name}: the entity changed`);
    this.apply([{ kind: 'delete', partitionKey, rowKey }]);
    return true;
  }

  async transact(actions: TableAction[]): Promise<void> {
    this.check();
    const partitions = new Set(actions.map((a) => (a.kind === 'delete' ? a.partitionKey : a.entity.partitionKey)));
    if (partitions.size > 1) throw new Error('A transaction must stay in one partition');
    this.apply(actions);
  }

  async list<T extends object>(
    partitionKey: string,
    options: { rowKeyPrefix?: string; limit?: number } = {},
  ): Promise<Array<Stored<T>>> {
    this.check();
    const prefix = options.rowKeyPrefix ?? '';
    const rows = [...this.rows.values()]
      .filter((r) => r.partitionKey === partitionKey && r.rowKey.startsWith(prefix))
      .sort((a, b) => (a.rowKey < b.rowKey ? -1 : a.rowKey > b.rowKey ? 1 : 0));
    return rows.slice(0, options.limit ?? rows.length).map((r) => ({ ...r }) as unknown as Stored<T>);
  }

  /** Validates every action against the current rows first, then applies them all (atomic). */
  private apply(actions: TableAction[]): Array<{ etag: string }> {
    const next = new Map(this.rows);
    const results: Array<{ etag: string }> = [];
    for (const action of actions) {
      const pk = action.kind === 'delete' ? action.partitionKey : action.entity.partitionKey;
      const rk = action.kind === 'delete' ? action.rowKey : action.entity.rowKey;
      const k = key(assertSafeKey(pk), assertSafeKey(rk));
      const existing = next.get(k);
      if (action.kind === 'create') {
        if (existing) throw new StorageConflict('exists', `${this.name}: the entity already exists`);
      } else {
        if (!existing) throw new StorageConflict('missing', `${this.name}: the entity does not exist`);
        if (action.kind === 'update' && action.etag !== '*' && existing.etag !== action.etag)
          throw new StorageConflict('changed', `${this.name}: the entity changed`);
      }
      if (action.kind === 'delete') {
        next.delete(k);
        results.push({ etag: '' });
        continue;
      }
      const etag = `W/"${++this.version}"`;
      const merged = {
        ...(action.kind === 'update' ? existing : {}),
        ...withoutUndefined(action.entity),
        etag,
      } as Stored<Entity>;
      next.set(k, merged);
      results.push({ etag });
    }
    this.rows.clear();
    for (const [k, v] of next) this.rows.set(k, v);
    return results;
  }

  private check(): void {
    if (this.down) throw new AppError('storage-unavailable', 'Storage is unavailable. Try again shortly.');
  }
}

function key(partitionKey: string, rowKey: string): string {
  return `${partitionKey}\u0000${rowKey}`;
}

function withoutUndefined(entity: Entity): Entity {
  return Object.fromEntries(Object.entries(entity).filter(([, v]) => v !== undefined)) as Entity;
}
