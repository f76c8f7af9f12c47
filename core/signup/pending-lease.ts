// The lease of one running sign-up on its pending row. The lease is short, so a sign-up whose process died (a
// crash, a stopped instance) blocks its person's retry for seconds, not minutes; while the attempt is alive it
// is renewed in the background, so a slow Catapult step (up to four 10 s attempts) never lets another attempt
// take the row over underneath it. Every write of the row goes through here, one at a time, so the renewal
// and the steps' own saves never race each other's ETag.
import type { Logger } from '../log';
import { isStorageConflict, type Stored } from '../storage/entity-table';
import type { PendingSignup, SignupStore } from '../storage/signup-store';

export interface LeaseTiming {
  leaseMs: number;
  now: () => number;
}

export class PendingLease {
  private writes: Promise<unknown> = Promise.resolve();
  private timer?: NodeJS.Timeout;
  private lost = false;

  constructor(
    private row: Stored<PendingSignup>,
    private readonly store: SignupStore,
    private readonly timing: LeaseTiming,
    private readonly logger: Logger,
  ) {}

  get current(): Stored<PendingSignup> {
    return this.row;
  }

  /** Renews every third of the lease until stop(). */
  start(): this {
    const every = Math.max(50, Math.floor(this.timing.leaseMs / 3));
    this.timer = setInterval(() => void this.renew(), every);
    this.timer.unref(); // a renewal never keeps a process alive
    return this;
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Merges `changes` and extends the lease; StorageConflict when another attempt took the row over. */
  save(changes: Partial<PendingSignup>): Promise<Stored<PendingSignup>> {
    return this.serialised(async () => {
      this.row = await this.store.update(this.row, { ...changes, leaseUntil: this.timing.now() + this.timing.leaseMs });
      return this.row;
    });
  }

  /** Gives the row up so a retry (or the sweep) can take it over at once. Best effort. */
  release(): Promise<void> {
    this.stop();
    return this.serialised(async () => {
      this.row = await this.store.update(this.row, { leaseUntil: 0 });
    }).catch(() => undefined);
  }

  private async renew(): Promise<void> {
    if (this.lost || !this.timer) return;
    try {
      await this.save({});
    } catch (error) {
      // Taken over: the next step's save fails the same way and ends this attempt. Storage down: the
      // steps' saves fail too. Either way, only log here (and not for a renewal that lost to stop()).
      if (isStorageConflict(error)) this.lost = true;
      if (this.timer)
        this.logger.warn('could not renew a sign-up lease', { username: this.row.username, error: String(error) });
    }
  }

  private serialised<T>(write: () => Promise<T>): Promise<T> {
    const next = this.writes.then(write, write);
    this.writes = next.catch(() => undefined);
    return next;
  }
}
