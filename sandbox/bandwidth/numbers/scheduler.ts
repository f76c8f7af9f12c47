// Delayed work of the Numbers API (orders and disconnects complete after a configurable delay). Timers are
// tracked so closing the sandbox leaves none behind; `settle()` lets tests finish pending work at once.
export type WorkKind = 'order' | 'disconnect';

export interface SchedulerSettings {
  orderDelayMs: number;
  disconnectDelayMs: number;
}

export class Scheduler {
  private readonly pending = new Map<NodeJS.Timeout, () => void>();

  constructor(
    readonly settings: SchedulerSettings,
    readonly now: () => number,
  ) {}

  later(kind: WorkKind, work: () => void): void {
    const delay = kind === 'order' ? this.settings.orderDelayMs : this.settings.disconnectDelayMs;
    const timer = setTimeout(() => {
      this.pending.delete(timer);
      work();
    }, delay);
    timer.unref();
    this.pending.set(timer, work);
  }

  /** Runs every pending piece of work now (control API). */
  settle(): number {
    const works = [...this.pending.entries()];
    for (const [timer] of works) clearTimeout(timer);
    this.pending.clear();
    for (const [, work] of works) work();
    return works.length;
  }

  close(): void {
    for (const timer of this.pending.keys()) clearTimeout(timer);
    this.pending.clear();
  }
}
