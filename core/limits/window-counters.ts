// Fixed-window counters in Table Storage, shared by every instance of the app: one row per counted thing
// (partition = what is counted, row = whose), holding the current window's start and count. Each take is a
// read and an ETag-guarded write, retried on a lost race, so two instances can never both take the last
// slot; nothing is counted in memory. Windows are aligned to the clock (hours and UTC days), which makes
// Retry-After exact; a burst of twice the limit across a window boundary is the known price of that.
import { AppError } from '../errors';
import type { Logger } from '../log';
import { isStorageConflict, type EntityTable } from '../storage/entity-table';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** One thing counted: `kind` names the limit (a partition), `subject` whose count it is (a row). */
export interface CounterKey {
  kind: string;
  subject: string;
}

export interface WindowLimit extends CounterKey {
  limit: number;
  /** Window length; undefined = one window forever (a total, e.g. users ever signed up). */
  windowMs?: number;
}

export type TakeResult =
  | { ok: true; taken: TakenSlot }
  /** `retryAfterSeconds` is undefined when the limit never lifts by itself (a total). */
  | { ok: false; retryAfterSeconds?: number };

/** A slot taken in a window; `giveBack` frees it again when the work it paid for did not happen. */
export interface TakenSlot {
  giveBack(): Promise<void>;
}

interface CounterRow {
  windowStart: number; // epoch ms
  count: number;
}

export interface WindowCountersOptions {
  table: EntityTable;
  now?: () => number;
  logger?: Logger;
  /** Attempts before giving up on a row many instances write at once (then: refused, retry in 1 s). */
  maxAttempts?: number;
}

export class WindowCounters {
  private readonly table: EntityTable;
  private readonly now: () => number;
  private readonly maxAttempts: number;

  constructor(private readonly options: WindowCountersOptions) {
    this.table = options.table;
    this.now = options.now ?? Date.now;
    this.maxAttempts = options.maxAttempts ?? 12;
  }

  /**
   * Counts one more in the current window when that stays within the limit. Storage failures propagate
   * (AppError storage-unavailable): a limit that cannot be checked refuses, it never lets through.
   */
  async take(limit: WindowLimit): Promise<TakeResult> {
    if (limit.limit <= 0) return { ok: false }; // closed by the operator: waiting does not help
    for (let attempt = 1; attempt <= this.maxAttempts; attempt += 1) {
      const now = this.now();
      const windowStart = limit.windowMs === undefined ? 0 : now - (now % limit.windowMs);
      const row = await this.table.get<CounterRow>(limit.kind, limit.subject);
      // A row from a later window than our clock says (another instance's clock runs ahead) counts as current.
      const current = row && Number(row.windowStart) >= windowStart;
      const start = current ? Number(row.windowStart) : windowStart;
      const count = current ? Number(row.count) : 0;
      if (count >= limit.limit) {
        if (limit.windowMs === undefined) return { ok: false };
        return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((start + limit.windowMs - now) / 1000)) };
      }
      const entity = { partitionKey: limit.kind, rowKey: limit.subject, windowStart: start, count: count + 1 };
      try {
        if (row) await this.table.update(entity, row.etag);
        else await this.table.create(entity);
        return { ok: true, taken: { giveBack: () => this.giveBack(limit, start) } };
      } catch (error) {
        if (!isStorageConflict(error)) throw error;
        await pause(attempt); // another request wrote the row first: read it again
      }
    }
    // Still racing after every attempt: the row is this hot right now, so this request waits its turn.
    this.options.logger?.warn('limit counter too contended', { kind: limit.kind });
    return { ok: false, retryAfterSeconds: 1 };
  }

  /** How many are counted in the current window (for tests and operators; takes nothing). */
  async count(limit: WindowLimit): Promise<number> {
    const now = this.now();
    const windowStart = limit.windowMs === undefined ? 0 : now - (now % limit.windowMs);
    const row = await this.table.get<CounterRow>(limit.kind, limit.subject);
    return row && Number(row.windowStart) >= windowStart ? Number(row.count) : 0;
  }

  /** Best effort: a slot not given back only makes the limit stricter until its window ends. */
  private async giveBack(key: CounterKey, windowStart: number): Promise<void> {
    try {
      for (let attempt = 1; attempt <= this.maxAttempts; attempt += 1) {
        const row = await this.table.get<CounterRow>(key.kind, key.subject);
        if (!row || Number(row.windowStart) !== windowStart || Number(row.count) <= 0) return; // window moved on
        try {
          await this.table.update({ ...keyOf(key), windowStart, count: Number(row.count) - 1 }, row.etag);
          return;
        } catch (error) {
          if (!isStorageConflict(error)) throw error;
          await pause(attempt);
        }
      }
    } catch (error) {
      this.options.logger?.warn('could not give a limit slot back', {
        kind: key.kind,
        error: error instanceof AppError ? error.code : String(error),
      });
    }
  }
}

function keyOf(key: CounterKey) {
  return { partitionKey: key.kind, rowKey: key.subject };
}

/** Short, growing, jittered: racing writers spread out instead of colliding again in step. */
function pause(attempt: number): Promise<void> {
  const ms = Math.min(50, 2 * attempt) + Math.random() * 5 * attempt;
  return new Promise((resolve) => setTimeout(resolve, ms));
}
