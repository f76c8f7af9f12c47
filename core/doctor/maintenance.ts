// The app looking after itself: at start, every 5 minutes (the maintenance-run timer function) and when health
// finds the set-up gone, it runs the doctor's repair of everything the app may fix alone (Doctor.repair('app')):
// the application and domain re-created, users' numbers and endpoints moved or re-created, abandoned sign-ups
// and what a crash left behind released. One instance at a time (a lease row); a run cut short by a stopped
// instance is simply done again by the next one, since every fix is idempotent.
import { randomUUID } from 'node:crypto';
import type { DoctorReport } from '../api-types';
import { isAppError } from '../errors';
import type { Logger } from '../log';
import type { BootstrapStore } from '../storage/bootstrap-store';
import type { Doctor } from './repair';

/** Longer than any run; a run whose instance died is taken over after this. */
const LEASE_MS = 5 * 60_000;

export type MaintenanceOutcome = { ran: true; report: DoctorReport } | { ran: false; reason: 'another-instance' };

export class Maintenance {
  private current?: Promise<MaintenanceOutcome>;
  private lastFailure?: string;

  constructor(private readonly deps: { doctor: Doctor; store: BootstrapStore; logger: Logger; now: () => number }) {}

  /** One run; a call while this instance is already running one joins it. */
  run(): Promise<MaintenanceOutcome> {
    this.current ??= this.runOnce().finally(() => {
      this.current = undefined;
    });
    return this.current;
  }

  /** Starts a run unless one is going (health's repair of a vanished set-up); never throws. */
  runSoon(): void {
    this.run().catch(() => undefined);
  }

  /** For health: a run is going, or why the last one failed. */
  status(): { running: boolean; lastFailure?: string } {
    return { running: this.current !== undefined, lastFailure: this.lastFailure };
  }

  private async runOnce(): Promise<MaintenanceOutcome> {
    const { store, doctor, logger, now } = this.deps;
    const owner = randomUUID();
    if (!(await store.acquireLease(owner, LEASE_MS, now(), 'maintenance')))
      return { ran: false, reason: 'another-instance' };
    try {
      const report = await doctor.repair('app');
      this.lastFailure = report.repairs?.find((r) => !r.ok)?.message;
      // The timer function logs the outcome (functions/maintenance-run.ts): one line per run, one shape.
      return { ran: true, report };
    } catch (error) {
      this.lastFailure = isAppError(error) ? `${error.code}: ${error.message}` : String(error);
      throw error;
    } finally {
      await store
        .releaseLease(owner, 'maintenance')
        .catch((error) => logger.warn('could not release the maintenance lease', { error: String(error) }));
    }
  }
}
