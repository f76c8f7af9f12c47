// Everything that must stop `npm start`, turned into ONE stop request:
//   - SIGINT (Ctrl-C reaches the whole foreground process group), SIGTERM and SIGHUP (a closed terminal, or
//     any of them sent to npm alone);
//   - the processes that started this one going away. npm forwards only SIGINT and SIGTERM, and only to the
//     `sh -c` it runs the script in, which dies of it without passing it on; SIGHUP kills npm itself. Either
//     way this process would be left running with its ports, so it watches its ancestors and stops when one
//     of them has gone.
// A second signal while stopping is reported, not obeyed: the stop is what saves storage, and it is bounded.
import { readFileSync } from 'node:fs';

export const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const WATCH_INTERVAL_MS = 250;
/** node → sh → npm: npm is at most this far up (npm run → `sh -c` → this script). */
const MAX_ANCESTORS = 3;

export interface StopRequests {
  /** A stop request from the program itself (e.g. a child it depends on exited). */
  request(reason: string): void;
  /** Stops watching (the process is about to exit on its own). */
  dispose(): void;
}

export function onStopRequest(stop: (reason: string) => void): StopRequests {
  let requested = false;
  const request = (reason: string) => {
    if (requested) {
      console.log(`${reason}: still stopping (saving storage)…`);
      return;
    }
    requested = true;
    stop(reason);
  };
  const listeners = STOP_SIGNALS.map((signal) => {
    const listener = () => request(signal);
    process.on(signal, listener);
    return [signal, listener] as const;
  });
  const parent = process.ppid;
  const ancestors = process.env.npm_lifecycle_event ? npmAncestors(process.pid) : [];
  const watch = setInterval(() => {
    if (process.ppid !== parent) request('parent process exited');
    else if (ancestors.some((pid) => !isAlive(pid))) request('npm (or the shell running it) exited');
  }, WATCH_INTERVAL_MS);
  watch.unref();
  return {
    request,
    dispose() {
      clearInterval(watch);
      for (const [signal, listener] of listeners) process.removeListener(signal, listener);
    },
  };
}

/**
 * The processes between this one and the npm that runs it, npm included (Linux reads them from /proc; elsewhere
 * none are known, and the parent's exit is still noticed through process.ppid). Nothing above npm is watched:
 * `nohup npm start &` must outlive the shell it was started from.
 */
export function npmAncestors(pid: number): number[] {
  const found: number[] = [];
  let current = pid;
  while (found.length < MAX_ANCESTORS) {
    const parent = parentOf(current);
    if (parent === undefined || parent <= 1) return [];
    found.push(parent);
    if (/\bnpm/.test(commandLineOf(parent))) return found;
    current = parent;
  }
  return []; // no npm up there: watch only the parent
}

function commandLineOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

function parentOf(pid: number): number | undefined {
  try {
    // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces and parentheses, so split after the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const parent = Number(fields[1]);
    return Number.isInteger(parent) ? parent : undefined;
  } catch {
    return pid === process.pid ? process.ppid : undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, owned by someone else
  }
}
