// The whole app on one machine: Azurite, the provider's side (the sandbox playing Catapult or Bandwidth, unless
// real credentials are given; with Bandwidth also the Web PubSub stand-in), the local Functions host and,
// optionally, the dialpad on its own origin. One composition for `npm start`, the integration and e2e tests
// and the benchmarks, so they all run the same wiring, for either provider.
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dialpadConnectUrls } from '../core/static-site/dialpad-connect-urls';
import { buildWeb } from '../web/build';
import { startAzurite, type RunningAzurite } from './azurite';
import { PROJECT_ROOT } from './function-registry';
import { startLocalHost, type LocalHost } from './local-host';
import { startProviderServices, type ProviderName, type StackSandbox } from './provider-services';
import { startStaticServer, type StaticServer } from './static-server';
import type { WebPubSubStandIn } from './web-pubsub/server';

export type { CatapultCredentials, ProviderName, StackSandbox } from './provider-services';

export interface StackOptions {
  /** 'memory' (default; tests) or 'disk': Azurite data and the app secret under `dataDir`, kept across restarts. */
  persistence?: 'memory' | 'disk';
  /** Where 'disk' keeps them; default `.azurite/` in the repository (`npm start`: DEV_DATA_DIR). */
  dataDir?: string;
  /** Ports; 0 or omitted = ephemeral. */
  apiPort?: number;
  webPort?: number;
  sandboxPort?: number;
  webPubSubPort?: number;
  tablePort?: number;
  blobPort?: number;
  /** Serve the dialpad (default false). `buildWeb` (default true) builds web/dist first. */
  web?: boolean;
  buildWeb?: boolean;
  /** Build the dialpad with its browser-test hook, `window.__dialpad` (browser tests and benchmarks only). */
  dialpadTestHooks?: boolean;
  /** Which provider the app runs on (default 'catapult'); the sandbox plays it unless real settings are given. */
  provider?: ProviderName;
  /**
   * Real Catapult: these app settings (CATAPULT_USER_ID, CATAPULT_API_TOKEN, CATAPULT_API_SECRET and
   * optionally CATAPULT_API_URL, CATAPULT_SIP_WEBSOCKET_URL, PUBLIC_BASE_URL…) are used as given and no
   * sandbox is started.
   */
  catapultEnv?: Record<string, string>;
  /**
   * Real Bandwidth (with provider 'bandwidth'): these settings (BANDWIDTH_ACCOUNT_ID, BANDWIDTH_CLIENT_ID/_SECRET,
   * BANDWIDTH_WEBRTC_CLIENT_ID/_SECRET, …) are used as given and no sandbox is started. The Web PubSub stand-in
   * still runs unless `env` names a real WEB_PUBSUB_CONNECTION_STRING.
   */
  bandwidthEnv?: Record<string, string>;
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

export interface Stack {
  provider: ProviderName;
  apiUrl: string;
  webUrl?: string;
  sandbox?: StackSandbox;
  /** With Bandwidth and no real Web PubSub: the local stand-in the incoming-call notifications go through. */
  webPubSub?: WebPubSubStandIn;
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
      // Blob Storage holds the voicemail audio (a private container, created on first use).
      blob: true,
      ...(disk ? { location: dataDir } : {}),
    });
    stops.push(() => azurite.stop());

    const provider = options.provider ?? 'catapult';
    const realEnv = provider === 'bandwidth' ? options.bandwidthEnv : options.catapultEnv;
    const services = await startProviderServices({
      provider,
      ...(realEnv ? { realEnv } : {}),
      sandboxPort: options.sandboxPort ?? 0,
      webPubSubPort: options.webPubSubPort ?? 0,
      env: options.env ?? {},
      ...(disk ? { devDir: dataDir } : {}),
    });
    stops.push(...services.stops);

    let web: StaticServer | undefined;
    let apiUrl = '';
    // The dialpad's CSP names the provider's WebSocket origins: the sandbox's, or the given (or default) ones.
    const providerConnectUrls = dialpadConnectUrls({ ...services.settings, ...options.env });
    if (options.web) {
      // Tests build into a private temp folder so parallel runs never share (or wipe) web/dist.
      const outDir = disk || options.buildWeb === false ? undefined : await mkdtemp(join(tmpdir(), 'vra-web-'));
      if (outDir) stops.push(() => rm(outDir, { recursive: true, force: true }));
      const root = await prepareWeb(options.buildWeb ?? true, outDir, options.dialpadTestHooks ?? false);
      // Listen before the API starts: the API's CORS list needs the dialpad's origin, and the
      // dialpad's config.json is read per request, so it can name the API once that is up.
      web = await startStaticServer({
        root,
        port: options.webPort ?? 0,
        urlHost: 'localhost', // a passkey's origin needs a host name, not 127.0.0.1
        clientConfig: () => ({ apiBaseUrl: apiUrl }),
        connectUrls: () => providerConnectUrls,
      });
      stops.push(() => web!.close());
    }

    const env: Record<string, string> = {
      FUNCTIONS_WORKER_RUNTIME: 'node',
      AzureWebJobsStorage: azurite.connectionString,
      APP_SECRET: disk ? await persistentAppSecret(dataDir) : newAppSecret(),
      ...services.settings,
      // Passkeys are bound to the dialpad's origin, as in Azure (the template passes the static website's).
      ...(web ? { DIALPAD_ORIGIN: web.url } : {}),
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
      provider,
      apiUrl,
      webUrl: web?.url,
      sandbox: services.sandbox,
      webPubSub: services.webPubSub,
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
