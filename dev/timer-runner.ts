// The local host's timer triggers: each app.timer(...) registration runs on its NCRONTAB schedule (UTC), and once
// at start when it asks for runOnStartup, with a Timer and an InvocationContext as Azure gives them. As the
// platform does, one function never runs twice at once: an occurrence due while the last run is still going is
// skipped, and the next run is told it is past due.
import { randomUUID } from 'node:crypto';
import { InvocationContext, type Timer } from '@azure/functions';
import type { TimerRegistration } from './function-registry';
import { parseSchedule, type Schedule } from './ncrontab';

export interface TimerRunnerOptions {
  timers: readonly TimerRegistration[];
  /** Handler arguments after (timer, context): the host's VoiceApp for the repo's functions. */
  extraArgs: () => unknown[];
  /** Replaces a function's schedule (tests run a 5-minute timer every second). */
  schedules?: Readonly<Record<string, string>>;
  log: (line: string) => void;
  formatLogArg: (arg: unknown) => string;
}

export interface TimerRunner {
  /** Stops scheduling and waits for runs in progress. */
  stop(): Promise<void>;
}

export function startTimers(options: TimerRunnerOptions): TimerRunner {
  const pending = new Set<NodeJS.Timeout>();
  const running = new Map<string, Promise<void>>();
  let stopped = false;

  const invoke = (registration: TimerRegistration, schedule: Schedule, isPastDue: boolean, last: Date) => {
    if (running.has(registration.name)) return false;
    const name = registration.name;
    const context = new InvocationContext({
      invocationId: randomUUID(),
      functionName: name,
      logHandler: (level, ...args) => options.log(`[${name}] ${level}: ${args.map(options.formatLogArg).join(' ')}`),
    });
    const now = new Date();
    const timer: Timer = {
      isPastDue,
      schedule: { adjustForDST: false },
      scheduleStatus: {
        last: last.toISOString(),
        next: schedule.next(now).toISOString(),
        lastUpdated: now.toISOString(),
      },
    };
    const handler = registration.handler as (...args: unknown[]) => unknown;
    const run = Promise.resolve()
      .then(() => handler(timer, context, ...options.extraArgs()))
      .then(
        () => options.log(`timer ${name} ran`),
        (error: unknown) =>
          options.log(
            `timer ${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
          ),
      )
      .finally(() => running.delete(name));
    running.set(name, run);
    return true;
  };

  for (const registration of options.timers) {
    const schedule = parseSchedule(options.schedules?.[registration.name] ?? registration.schedule);
    let last = new Date();
    let missed = false;
    const plan = () => {
      if (stopped) return;
      const at = schedule.next(new Date());
      const timeout = setTimeout(
        () => {
          pending.delete(timeout);
          if (stopped) return;
          if (invoke(registration, schedule, missed, last)) {
            missed = false;
            last = at;
          } else {
            missed = true; // still running: this occurrence is skipped
          }
          plan();
        },
        Math.max(0, at.getTime() - Date.now()),
      );
      pending.add(timeout);
    };
    if (registration.runOnStartup) invoke(registration, schedule, false, last);
    plan();
  }

  return {
    async stop() {
      stopped = true;
      for (const timeout of pending) clearTimeout(timeout);
      pending.clear();
      await Promise.allSettled([...running.values()]);
    },
  };
}
