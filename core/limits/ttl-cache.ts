// A small per-instance cache of recent answers, keyed by what was asked: a repeated number search or health
// check within a few seconds reuses the answer instead of making another provider request, and concurrent
// identical requests share one provider request (the first one's promise). Failures are never kept.
// It is a cache, not a limit: each instance has its own, and the limits themselves live in Table Storage.

export interface TtlCacheOptions {
  ttlMs: number;
  /** Oldest entries are dropped past this many, so varied queries cannot grow memory without bound. */
  maxEntries: number;
  now?: () => number;
}

interface Entry<T> {
  value: Promise<T>;
  storedAt: number;
}

export class TtlCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly now: () => number;

  constructor(private readonly options: TtlCacheOptions) {
    this.now = options.now ?? Date.now;
  }

  /** The cached answer for `key` if younger than the TTL, else `load()`'s (shared while it runs). */
  get(key: string, load: () => Promise<T>): Promise<T> {
    if (this.options.ttlMs <= 0) return load();
    const now = this.now();
    const cached = this.entries.get(key);
    if (cached && now - cached.storedAt < this.options.ttlMs) return cached.value;
    this.entries.delete(key);
    const value = load();
    const entry = { value, storedAt: now };
    this.entries.set(key, entry);
    // A failed answer is dropped at once (only if it is still ours), so the next request tries again.
    value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    while (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    return value;
  }
}

/** Values remembered for a while (e.g. numbers just ordered), bounded like TtlCache. */
export class ExpiringSet {
  private readonly until = new Map<string, number>();
  private readonly now: () => number;

  constructor(private readonly options: TtlCacheOptions) {
    this.now = options.now ?? Date.now;
  }

  add(value: string): void {
    this.until.delete(value);
    this.until.set(value, this.now() + this.options.ttlMs);
    while (this.until.size > this.options.maxEntries) {
      const oldest = this.until.keys().next().value;
      if (oldest === undefined) break;
      this.until.delete(oldest);
    }
  }

  has(value: string): boolean {
    const until = this.until.get(value);
    if (until === undefined) return false;
    if (until > this.now()) return true;
    this.until.delete(value);
    return false;
  }
}
