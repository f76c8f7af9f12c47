// Runs a bench helper (a .ts file) in its own Node process through tsx and waits for the line
// `READY <url>` on its stdout. Its configuration goes in one environment variable as JSON (never
// printed: it may hold the sandbox's throwaway credentials). stop() ends that process only.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export interface BenchChild {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

const CONFIG_VARIABLE = 'BENCH_CHILD_CONFIG';
/** Children still running: killed if the bench process exits without stopping them (a crash, Ctrl-C). */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});
const START_TIMEOUT_MS = 60_000;

export async function startBenchChild(script: string, config: unknown): Promise<BenchChild> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, script)], {
    env: { ...process.env, [CONFIG_VARIABLE]: JSON.stringify(config) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`${script} did not start: ${stderr}`)), START_TIMEOUT_MS);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const ready = /^READY (\S+)$/m.exec(stdout);
      if (ready) {
        clearTimeout(timer);
        resolve(ready[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code}: ${stderr}`));
    });
  });
  return { url, pid: child.pid!, stop: () => stopChild(child) };
}

/** The config a child was started with. */
export function readChildConfig<T>(): T {
  const text = process.env[CONFIG_VARIABLE];
  if (!text) throw new Error(`${CONFIG_VARIABLE} is not set`);
  return JSON.parse(text) as T;
}

/** SIGTERM, then SIGKILL if it has not exited within 5 s. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** For children: exit cleanly on SIGTERM/SIGINT after `close`. */
export function closeOnSignal(close: () => Promise<void>): void {
  const stop = () => {
    void close().finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
