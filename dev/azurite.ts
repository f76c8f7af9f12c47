// Starts Azurite (Table, optionally Blob) as child processes on 127.0.0.1 for tests and the dev start script.
// In-memory unless `location` is given (Azurite refuses --inMemoryPersistence together with --location).
// Azurite does not report the port it bound when given 0, so free ports are picked here first and a start
// that loses the race for the port is retried on another one.
// Each child runs in its own process group with ./azurite-guard.js loaded first: a Ctrl-C in the terminal
// reaches only the stack, which then asks each Azurite once to close (an on-disk workspace is saved on
// close), and an Azurite whose parent dies, even by kill -9, closes and exits by itself.
import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection, createServer } from 'node:net';
import { resolve } from 'node:path';

/** Azurite's well-known development account (public, from the Azurite README; not a secret). */
export const DEV_ACCOUNT_NAME = 'devstoreaccount1';
export const DEV_ACCOUNT_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface AzuriteOptions {
  tablePort?: number; // 0 or omitted → a free port
  blobPort?: number;
  location?: string; // on-disk workspace (dev); in-memory when omitted
  blob?: boolean; // also start the Blob service (default false)
  startTimeoutMs?: number; // default 15000
}

export interface RunningAzurite {
  connectionString: string;
  tableEndpoint: string; // http://127.0.0.1:<port>/devstoreaccount1
  blobEndpoint?: string;
  /** Process ids of the Azurite services (tests stop or kill them to play a crash). */
  pids: number[];
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
const ROOT = resolve(__dirname, '..');
const GUARD = resolve(__dirname, 'azurite-guard.js');
/** A close saves the workspace in milliseconds; this only catches an Azurite that hangs. */
const STOP_TIMEOUT_MS = 15_000;

export async function startAzurite(options: AzuriteOptions = {}): Promise<RunningAzurite> {
  const started: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(started.map((child) => stopChild(child)));
  };
  try {
    const tablePort = await startService('table', options.tablePort ?? 0, options, started);
    const blobPort = options.blob ? await startService('blob', options.blobPort ?? 0, options, started) : undefined;
    const tableEndpoint = `http://${HOST}:${tablePort}/${DEV_ACCOUNT_NAME}`;
    const blobEndpoint = blobPort === undefined ? undefined : `http://${HOST}:${blobPort}/${DEV_ACCOUNT_NAME}`;
    const connectionString =
      `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT_NAME};AccountKey=${DEV_ACCOUNT_KEY};` +
      `TableEndpoint=${tableEndpoint};` +
      (blobEndpoint ? `BlobEndpoint=${blobEndpoint};` : '');
    return { connectionString, tableEndpoint, blobEndpoint, pids: started.map((child) => child.pid!), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function startService(
  service: 'table' | 'blob',
  requestedPort: number,
  options: AzuriteOptions,
  started: ChildProcess[],
): Promise<number> {
  const attempts = requestedPort === 0 ? 3 : 1;
  let lastError: unknown;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const port = requestedPort === 0 ? await findFreePort() : requestedPort;
    const child = spawnService(service, port, options);
    started.push(child);
    try {
      await waitForPort(child, port, options.startTimeoutMs ?? 15_000);
      return port;
    } catch (error) {
      lastError = error;
      await stopChild(child);
      started.splice(started.indexOf(child), 1);
    }
  }
  throw lastError;
}

function spawnService(service: 'table' | 'blob', port: number, options: AzuriteOptions): ChildProcess {
  const main = resolve(ROOT, 'node_modules', 'azurite', 'dist', 'src', service, 'main.js');
  const args = [
    '--require',
    GUARD,
    main,
    `--${service}Host`,
    HOST,
    `--${service}Port`,
    String(port),
    '--disableTelemetry',
    '--silent',
  ];
  if (service === 'blob') args.push('--skipApiVersionCheck');
  if (options.location) args.push('--location', options.location);
  else args.push('--inMemoryPersistence');
  const child = spawn(process.execPath, args, {
    cwd: options.location ?? ROOT,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    detached: true, // its own process group: only stop() asks it to close, exactly once
  });
  // A process that ends without calling stop() (a failed before(), an uncaught error) must not leave Azurite
  // running on the shared machine; the guard also closes it when the IPC channel drops (kill -9 of this one).
  const closeOnExit = () => child.kill('SIGTERM');
  process.once('exit', closeOnExit);
  child.once('exit', () => process.removeListener('exit', closeOnExit));
  child.on('error', () => undefined); // a send() racing the child's exit; its exit is what counts
  // Keep the output drained (a full pipe would block Azurite) but attached to the error on a failed start.
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 50) output.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  (child as ChildProcess & { recentOutput?: () => string }).recentOutput = () => output.join('');
  return child;
}

function findFreePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

async function waitForPort(child: ChildProcess, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const output = (child as ChildProcess & { recentOutput?: () => string }).recentOutput?.() ?? '';
      throw new Error(`Azurite exited before listening on ${HOST}:${port}: ${output.trim().slice(-500)}`);
    }
    if (await canConnect(port)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`Azurite did not listen on ${HOST}:${port} within ${timeoutMs} ms`);
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolveConnect) => {
    const socket = createConnection({ host: HOST, port });
    socket.once('connect', () => {
      socket.destroy();
      resolveConnect(true);
    });
    socket.once('error', () => resolveConnect(false));
  });
}

/** Asks Azurite to close (it saves an on-disk workspace first) and waits for it to exit; kills it only if stuck. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveStop) => {
    const force = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(force);
      resolveStop();
    });
    if (child.connected) child.send('shutdown');
    else child.kill('SIGTERM');
  });
}
