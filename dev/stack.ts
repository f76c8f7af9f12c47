// The whole app on one machine: Azurite, the Catapult sandbox (unless real Catapult credentials are
// given), the local Functions host and, optionally, the dialpad on its own origin. One composition
// for `npm start`, the integration and e2e tests and the benchmarks, so they all run the same wiring.
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSandbox } from '../sandbox/server';
import { buildWeb } from '../web/build';
import { startAzurite, type RunningAzurite } from './azurite';
import { PROJECT_ROOT } from './function-registry';
import { startLocalHost, type LocalHost } from './local-host';
import { startStaticServer, type StaticServer } from './static-server';

export interface CatapultCredentials {
  userId: string;
  apiToken: string;
  apiSecret: string;
}

export interface StackOptions {
  /** 'memory' (default; tests) or 'disk': Azurite data and the app secret under `dataDir`, kept across restarts. */
  persistence?: 'memory' | 'disk';
  /** Where 'disk' keeps them; default `.azurite/` in the repository (`npm start`: DEV_DATA_DIR). */
  dataDir?: string;
  /** Ports; 0 or omitted = ephemeral. */
  apiPort?: number;
  webPort?: number;
  sandboxPort?: number;
  tablePort?: number;
  blobPort?: number;
  /** Serve the dialpad (default false). `buildWeb` (default true) builds web/dist first. */
  web?: boolean;
  buildWeb?: boolean;
  /** Build the dialpad with its browser-test hook, `window.__dialpad` (browser tests and benchmarks only). */
  dialpadTestHooks?: boolean;
  /**
   * Real Catapult: these app settings (CATAPULT_USER_ID, CATAPULT_API_TOKEN, CATAPULT_API_SECRET and
   * optionally CATAPULT_API_URL, CATAPULT_SIP_WEBSOCKET_URL, PUBLIC_BASE_URL…) are used as given and no
   * sandbox is started.
   */
  catapultEnv?: Record<string, string>;
  /** Extra or overriding app settings (e.g. a bad one for a health test). */
  env?: Record<string, string>;
  /** Load the compiled dist/ instead of the sources. */
  compiled?: boolean;
  /** Where the host's request and function log lines go; default: dropped (tests) — start.ts prints them. */
  log?: (line: string) => void;
  /**
   * The API is served by something else at this URL (`func start` in `npm start -- --func`): no local
   * host is started, and the returned `env` is what that host must run with.
   */
  externalApiUrl?: string;
  /** Run the timer-triggered functions (maintenance); default false, so tests that count requests are not disturbed. */
  timers?: boolean;
  /** Replaces timer schedules by function name (see LocalHostOptions.timerSchedules). */
  timerSchedules?: Readonly<Record<string, string>>;
  /** The operator's function key (authLevel 'function'); default a random one per stack. */
  functionKey?: string;
}

export interface StackSandbox {
  baseUrl: string;
  apiUrl: string;
  websocketUrl: string;
  account: CatapultCredentials;
}

export interface Stack {
  apiUrl: string;
  webUrl?: string;
  sandbox?: StackSandbox;
  storageConnectionString: string;
  /** Where the data is kept with persistence 'disk'. */
  dataDir: string;
  /** The key the operator's functions (GET /api/ops/doctor…) need, as `x-functions-key`. */
  functionKey: string;
  /** The app settings the functions run with (secrets included: never print this whole). */
  env: Record<string, string>;
  stop(): Promise<void>;
}

const DEFAULT_DATA_DIR = join(PROJECT_ROOT, '.azurite');

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    // Reverse start order: the host stops taking requests before its dependencies go away.
    for (const stopOne of stops.reverse()) await stopOne().catch(() => undefined);
  };
  try {
    const disk = options.persistence === 'disk';
    const dataDir = options.dataDir ?? DEFAULT_DATA_DIR;
    if (disk) await mkdir(dataDir, { recursive: true });
    const azurite: RunningAzurite = await startAzurite({
      tablePort: options.tablePort ?? 0,
      blobPort: options.blobPort ?? 0,
      blob: false,
      ...(disk ? { location: dataDir } : {}),
    });
    stops.push(() => azurite.stop());

    let sandbox: StackSandbox | undefined;
    let catapultSettings: Record<string, string>;
    if (options.catapultEnv) {
      catapultSettings = { ...options.catapultEnv };
    } else {
      const running = await startSandbox(options.sandboxPort ?? 0, disk ? dataDir : undefined);
      stops.push(() => running.close());
      sandbox = {
        baseUrl: running.baseUrl,
        apiUrl: running.apiUrl,
        websocketUrl: running.websocketUrl,
        account: running.account,
      };
      catapultSettings = {
        CATAPULT_USER_ID: running.account.userId,
        CATAPULT_API_TOKEN: running.account.apiToken,
        CATAPULT_API_SECRET: running.account.apiSecret,
        CATAPULT_API_URL: running.apiUrl,
        CATAPULT_SIP_WEBSOCKET_URL: running.websocketUrl,
      };
    }

    let web: StaticServer | undefined;
    let apiUrl = '';
    if (options.web) {
      // Tests build into a private temp folder so parallel runs never share (or wipe) web/dist.
      const outDir = disk || options.buildWeb === false ? undefined : await mkdtemp(join(tmpdir(), 'vra-web-'));
      if (outDir) stops.push(() => rm(outDir, { recursive: true, force: true }));
      const root = await prepareWeb(options.buildWeb ?? true, outDir, options.dialpadTestHooks ?? false);
      // Listen before the API starts: the API's CORS list needs the dialpad's origin, and the
      // dialpad's config.json is read per request, so it can name the API once that is up.
      web = await startStaticServer({ root, port: options.webPort ?? 0, clientConfig: () => ({ apiBaseUrl: apiUrl }) });
      stops.push(() => web!.close());
    }

    const env: Record<string, string> = {
      FUNCTIONS_WORKER_RUNTIME: 'node',
      AzureWebJobsStorage: azurite.connectionString,
      CATAPULT_DOMAIN_NAME: 'vra-local',
      APP_SECRET: disk ? await persistentAppSecret(dataDir) : newAppSecret(),
      ...catapultSettings,
      ...options.env,
    };
    const functionKey = options.functionKey ?? randomBytes(24).toString('base64url');
    if (options.externalApiUrl) {
      apiUrl = options.externalApiUrl;
    } else {
      const host: LocalHost = await startLocalHost({
        port: options.apiPort ?? 0,
        env,
        corsOrigins: web ? [web.url] : [],
        compiled: options.compiled,
        log: options.log ?? (() => undefined),
        timers: options.timers ?? false,
        timerSchedules: options.timerSchedules,
        functionKey,
      });
      stops.push(() => host.close());
      apiUrl = host.url;
    }

    return {
      apiUrl,
      webUrl: web?.url,
      sandbox,
      storageConnectionString: azurite.connectionString,
      dataDir,
      functionKey,
      env: { PUBLIC_BASE_URL: apiUrl, ...env },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function startSandbox(port: number, dataDir: string | undefined) {
  if (!dataDir) return createSandbox({ port });
  // Dev: the same sandbox account on every start, so the app's settings stay valid across restarts.
  const file = join(dataDir, 'sandbox-account.json');
  const saved = await readFile(file, 'utf8').then(
    (text) => JSON.parse(text) as CatapultCredentials,
    () => undefined,
  );
  const sandbox = await createSandbox({ port, ...(saved ? { account: saved } : {}) });
  if (!saved) await writeFile(file, `${JSON.stringify(sandbox.account)}\n`, { mode: 0o600 });
  return sandbox;
}

async function prepareWeb(build: boolean, outDir: string | undefined, testHooks: boolean): Promise<string> {
  if (!build) return join(PROJECT_ROOT, 'web', 'dist');
  return (await buildWeb({ minify: false, testHooks, ...(outDir ? { outDir } : {}) })).outDir;
}

function newAppSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** Dev sessions survive restarts: the secret the session keys derive from stays the same. */
async function persistentAppSecret(dataDir: string): Promise<string> {
  const file = join(dataDir, 'app-secret');
  try {
    const saved = (await readFile(file, 'utf8')).trim();
    if (saved.length >= 32) return saved;
  } catch {
    // First start on this machine: fall through and create it.
  }
  const secret = newAppSecret();
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
