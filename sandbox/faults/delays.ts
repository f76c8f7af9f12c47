// Cancellable waits for delayed faults, so closing the sandbox never leaves a 30 s timer behind.

export class Delays {
  private readonly pending = new Map<NodeJS.Timeout, () => void>();
  private closed = false;

  /** Resolves true after `ms`, or false at once when cancelled by cancelAll(). */
  wait(ms: number): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    if (ms <= 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(timer);
        resolve(true);
      }, ms);
      this.pending.set(timer, () => resolve(false));
    });
  }

  cancelAll(): void {
    this.closed = true;
    for (const [timer, cancel] of this.pending) {
      clearTimeout(timer);
      cancel();
    }
    this.pending.clear();
  }
}
