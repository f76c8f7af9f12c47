// `npm start` as a person runs it, for the stop and crash tests: the real npm → sh → node chain in its own
// process group (a terminal's foreground group), every port ephemeral, tables on disk in a temporary folder, and
// Catapult played by a sandbox the test started (the "real credentials" mode, so a restart meets the same
// numbers and endpoints). Linux only: the process tree is read from /proc.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { PROJECT_ROOT } from '../../../../dev/function-registry';
import type { Sandbox } from '../../../../sandbox/server';
import { GENEROUS_LIMITS } from '../../../support/test-limits';

export interface RunningNpmStart {
  /** npm's pid; also the process group's id. */
  pid: number;
  apiUrl: string;
  /** Every process npm started, at the time it was ready (Azurite included, though in its own group). */
  processes: Array<{ pid: number; command: string }>;
  /** The node process running dev/start.ts. */
  stackPid: number;
  /** Azurite's table port (read from its command line). */
  tablePort: number;
  /** Azurite's pid (its own process group). */
  azuritePid: number;
  output(): string;
  exited: Promise<void>;
}

export async function startNpmStart(
  dataDir: string,
  catapult: Sandbox,
  settings: Record<string, string> = {},
): Promise<RunningNpmStart> {
  const env: Record<string, string | undefined> = {
    ...process.env,
    PORT: '0',
    WEB_PORT: '0',
    SANDBOX_PORT: '0',
    AZURITE_TABLE_PORT: '0',
    DEV_DATA_DIR: dataDir,
    CATAPULT_USER_ID: catapult.account.userId,
    CATAPULT_API_TOKEN: catapult.account.apiToken,
    CATAPULT_API_SECRET: catapult.account.apiSecret,
    CATAPULT_API_URL: catapult.apiUrl,
    CATAPULT_SIP_WEBSOCKET_URL: catapult.websocketUrl,
    ...GENEROUS_LIMITS,
    ...settings,
  };
  for (const name of Object.keys(env)) if (name.startsWith('npm_')) delete env[name]; // not the test run's npm
  const child: ChildProcess = spawn('npm', ['start', '--', '--no-web'], {
    cwd: PROJECT_ROOT,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  const deadline = Date.now() + 60_000;
  let apiUrl: string | undefined;
  while (!(apiUrl = /API\s+(http:\/\/127\.0\.0\.1:\d+)\/api\/health/.exec(output)?.[1])) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`npm start exited:\n${output}`);
    if (Date.now() > deadline) throw new Error(`npm start did not come up:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const pid = child.pid!;
  const processes = descendantsOf(pid);
  const stackPid = processes.find((p) => p.command.includes('dev/start.ts') && !p.command.startsWith('sh '))?.pid;
  const azurite = processes.find((p) => p.command.includes('azurite') && p.command.includes('--tablePort'));
  const tablePort = Number(/--tablePort (\d+)/.exec(azurite?.command ?? '')?.[1]);
  if (!stackPid || !azurite || !tablePort) throw new Error(`unexpected process tree: ${JSON.stringify(processes)}`);
  return { pid, apiUrl, processes, stackPid, tablePort, azuritePid: azurite.pid, output: () => output, exited };
}

/** `npm run doctor` against the `npm start` keeping its files in `dataDir`: its exit code and output. */
export function runDoctor(dataDir: string, repair = false): Promise<{ code: number; output: string }> {
  const env: Record<string, string | undefined> = { ...process.env, DEV_DATA_DIR: dataDir };
  for (const name of Object.keys(env)) if (name.startsWith('npm_')) delete env[name];
  const child = spawn('npm', ['run', '--silent', 'doctor', ...(repair ? ['--', '--repair'] : [])], {
    cwd: PROJECT_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolveRun) => child.once('exit', (code) => resolveRun({ code: code ?? -1, output })));
}

/** Every process below `pid`, from /proc (children re-parented elsewhere are found from the first look only). */
export function descendantsOf(pid: number): Array<{ pid: number; command: string }> {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const found: Array<{ pid: number; command: string }> = [];
  const visit = (parent: number) => {
    for (const [child, ppid] of parents) {
      if (ppid !== parent) continue;
      found.push({ pid: child, command: commandOf(child) });
      visit(child);
    }
  };
  visit(pid);
  return found;
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
  } catch {
    return '';
  }
}

/** True while the process exists and is not a zombie waiting for its parent. */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Waits until none of `pids` runs; the ones still running after `timeoutMs` are returned. */
export async function waitUntilGone(pids: number[], timeoutMs = 20_000): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = pids.filter(isRunning);
    if (left.length === 0 || Date.now() > deadline) return left;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** True when something accepts connections on 127.0.0.1:port. */
export function isListening(port: number): Promise<boolean> {
  return new Promise((resolveCheck) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolveCheck(true);
    });
    socket.once('error', () => resolveCheck(false));
  });
}
