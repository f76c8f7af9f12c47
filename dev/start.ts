// `npm start`: the whole app on this machine for a person trying it out. Azurite, the sandbox, the Functions
// (local host) and the dialpad on its own origin. The sandbox keeps its numbers and endpoints in memory, so
// with it the app's tables are in memory too: a restart starts both over together, instead of leaving users
// whose numbers no longer exist. Against a real provider the tables are kept on disk under .azurite/.
// `npm start -- --bandwidth` runs the app on Bandwidth's current platform (the sandbox plays it, and a local
// stand-in plays Azure Web PubSub for incoming-call notifications); without it, on Catapult v1.
// Real credentials in the environment (CATAPULT_USER_ID/_API_TOKEN/_API_SECRET, or BANDWIDTH_ACCOUNT_ID/
// _CLIENT_ID/_CLIENT_SECRET) use the real provider and start no sandbox. `npm start -- --func` runs
// `func start` (Core Tools) instead of the local host; `--no-web` serves the API without the dialpad. Ctrl-C,
// SIGTERM or SIGHUP (to npm or to this process) stop everything, and Azurite writes out what it acknowledged
// before it exits (dev/stop-requests.ts, dev/azurite.ts).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CONFIG_SETTINGS, isLoopbackHost } from '../core/config';
import { explainBusyPort, type PortSettings } from './busy-port';
import { PROJECT_ROOT } from './function-registry';
import { startStack, type Stack } from './stack';
import { onStopRequest } from './stop-requests';

async function main(): Promise<void> {
  const env = process.env;
  const args = process.argv.slice(2);
  const known = ['--func', '--bandwidth', '--no-web'];
  const unknown = args.filter((arg) => !known.includes(arg));
  if (unknown.length > 0) throw new Error(`unknown option(s) ${unknown.join(' ')}; use ${known.join(', ')}`);
  const useFunc = args.includes('--func');
  const web = !args.includes('--no-web');
  const dataDir = resolve(env.DEV_DATA_DIR ?? join(PROJECT_ROOT, '.azurite'));
  await mkdir(dataDir, { recursive: true });
  const functionKey = await persistentFunctionKey(dataDir);
  const apiPort = port('PORT', 7071);
  const realCatapult = Boolean(env.CATAPULT_USER_ID && env.CATAPULT_API_TOKEN && env.CATAPULT_API_SECRET);
  const realBandwidth = Boolean(env.BANDWIDTH_ACCOUNT_ID && env.BANDWIDTH_CLIENT_ID && env.BANDWIDTH_CLIENT_SECRET);
  if (realCatapult && realBandwidth)
    throw new Error('Both Catapult (CATAPULT_*) and Bandwidth (BANDWIDTH_*) credentials are set: keep one provider.');
  const provider = realBandwidth || args.includes('--bandwidth') ? 'bandwidth' : 'catapult';
  if (provider === 'bandwidth' && realCatapult)
    throw new Error('--bandwidth with Catapult credentials in the environment: unset CATAPULT_* or drop --bandwidth.');
  const real = provider === 'bandwidth' ? realBandwidth : realCatapult;
  // Any app setting in the environment wins over the local defaults (e.g. ALLOWED_DIAL_COUNTRIES).
  const settings: Record<string, string> = {};
  for (const { name } of CONFIG_SETTINGS) if (env[name]) settings[name] = env[name]!;
  if (real) warnAboutPublicUrl(settings.PUBLIC_BASE_URL);

  const funcBinary = useFunc ? findFunc() : undefined;
  if (useFunc && !funcBinary)
    throw new Error('--func needs Azure Functions Core Tools (`func`) on the PATH or in node_modules/.bin.');

  // Listening for stop requests before anything starts: a Ctrl-C during start-up stops what has started.
  const running: { stack?: Stack; func?: ChildProcess } = {};
  let stopReason: string | undefined;
  const stopAll = (reason: string) => {
    console.log(`\n${reason}: stopping…`);
    running.func?.kill('SIGINT');
    const stopped = Promise.all([running.stack!.stop(), rm(join(dataDir, RUNNING_FILE), { force: true })]);
    stopped.then(
      () => {
        requests.dispose();
        console.log('stopped.');
        process.exit(0);
      },
      (error: unknown) => {
        console.error('stop failed:', error);
        process.exit(1);
      },
    );
  };
  const requests = onStopRequest((reason) => {
    stopReason = reason;
    if (running.stack) stopAll(reason);
    else console.log(`\n${reason}: stopping once started…`);
  });

  const ports: PortSettings = {
    PORT: apiPort,
    WEB_PORT: port('WEB_PORT', 4280),
    SANDBOX_PORT: port('SANDBOX_PORT', 8088),
    WEB_PUBSUB_PORT: port('WEB_PUBSUB_PORT', 8089),
    AZURITE_TABLE_PORT: port('AZURITE_TABLE_PORT', 10002),
  };
  const stack = (running.stack = await startStack({
    persistence: real ? 'disk' : 'memory',
    dataDir,
    timers: true,
    functionKey,
    apiPort,
    webPort: ports.WEB_PORT,
    sandboxPort: ports.SANDBOX_PORT,
    webPubSubPort: ports.WEB_PUBSUB_PORT,
    tablePort: ports.AZURITE_TABLE_PORT,
    web,
    provider,
    ...(realCatapult ? { catapultEnv: pick(settings, /^CATAPULT_/) } : {}),
    ...(realBandwidth ? { bandwidthEnv: pick(settings, /^BANDWIDTH_/) } : {}),
    env: settings,
    log: (line) => console.log(line),
    ...(useFunc ? { externalApiUrl: `http://127.0.0.1:${apiPort}` } : {}),
  }).catch((error: unknown) => {
    throw explainBusyPort(error, provider === 'bandwidth' ? ports : withoutWebPubSub(ports));
  }));
  if (stopReason) {
    stopAll(stopReason);
    return;
  }
  const func = (running.func = funcBinary ? startFunc(funcBinary, stack, apiPort) : undefined);
  // Where `npm run doctor` finds this running app (removed again on stop).
  await writeFile(join(dataDir, RUNNING_FILE), `${JSON.stringify({ apiUrl: stack.apiUrl, functionKey })}\n`, {
    mode: 0o600,
  });
  printWelcome(stack, real, Boolean(func));
  func?.on('exit', (code) => {
    if (stopReason === undefined) console.error(`func exited (${code}); stopping the rest.`);
    requests.request('func exited');
  });
}

/** `npm run doctor` reads the running app's URL and operator key here (scripts/doctor.ts). */
const RUNNING_FILE = 'running.json';

/** The operator key (authLevel 'function') stays the same across restarts, like a function key in Azure. */
async function persistentFunctionKey(dataDir: string): Promise<string> {
  const file = join(dataDir, 'function-key');
  const saved = await readFile(file, 'utf8').then(
    (text) => text.trim(),
    () => '',
  );
  if (saved.length >= 32) return saved;
  const key = randomBytes(24).toString('base64url');
  await writeFile(file, `${key}\n`, { mode: 0o600 });
  return key;
}

function printWelcome(stack: Stack, real: boolean, func: boolean): void {
  const bandwidth = stack.provider === 'bandwidth';
  const lines = [
    '',
    `Voice Reference App is running on ${bandwidth ? 'Bandwidth (current platform)' : 'Catapult v1'}`,
    `  Dialpad          ${stack.webUrl}`,
    `  API              ${stack.apiUrl}/api/health   (${func ? 'func start' : 'local Functions host'})`,
    `  Operator         npm run doctor [-- --repair | --lift-breaker]   (function key in ${join(stack.dataDir, 'function-key')})`,
  ];
  if (!stack.webUrl) lines.splice(2, 1);
  const sandbox = stack.sandbox;
  if (sandbox) {
    lines.push(
      `  Sandbox phone    ${sandbox.baseUrl}/sandbox/phone   (call your number from the simulated phone network)`,
    );
    // The sandbox's accounts are throwaway local credentials: showing them is the point.
    if (sandbox.bandwidth) {
      lines.push(
        `  Bandwidth APIs   ${sandbox.bandwidth.apiUrl}   (sandbox; In-App Calling gateway ${sandbox.bandwidth.gatewayUrl})`,
        `  Sandbox account  ${sandbox.bandwidth.accountId}  client ${sandbox.bandwidth.clientId}  secret ${sandbox.bandwidth.clientSecret}`,
      );
    } else {
      lines.push(
        `  Catapult API     ${sandbox.apiUrl}   (sandbox)`,
        `  Sandbox account  userId ${sandbox.account.userId}  token ${sandbox.account.apiToken}  secret ${sandbox.account.apiSecret}`,
      );
    }
  } else if (bandwidth) {
    lines.push(
      `  Bandwidth APIs   ${stack.env.BANDWIDTH_API_URL ?? 'https://api.bandwidth.com'}   (real, account ${stack.env.BANDWIDTH_ACCOUNT_ID})`,
    );
  } else {
    lines.push(
      `  Catapult API     ${stack.env.CATAPULT_API_URL ?? 'https://api.catapult.inetwork.com/v1'}   (real, user ${stack.env.CATAPULT_USER_ID})`,
    );
  }
  if (stack.webPubSub)
    lines.push(`  Web PubSub       ${stack.webPubSub.endpoint}   (local stand-in: incoming-call notifications)`);
  lines.push(
    real
      ? `  Storage          Azurite, data in ${stack.dataDir} (delete it to start over)`
      : `  Storage          Azurite in memory, like the sandbox: stopping starts everything over`,
    '',
    real
      ? `Using real ${bandwidth ? 'Bandwidth' : 'Catapult'} credentials from the environment.`
      : stack.webUrl
        ? 'Open the dialpad, sign up with a username and pick a number.'
        : 'The API is up (no dialpad: --no-web).',
    'Press Ctrl-C to stop.',
    '',
  );
  console.log(lines.join('\n'));
}

function startFunc(binary: string, stack: Stack, apiPort: number): ChildProcess {
  // func copies local.settings.json into the worker's environment; our settings go in through the
  // process environment instead, so no file with secrets is written.
  return spawn(binary, ['start', '--port', String(apiPort), '--cors', stack.webUrl ?? '*'], {
    cwd: PROJECT_ROOT,
    stdio: 'inherit',
    env: { ...process.env, ...stack.env },
  });
}

function findFunc(): string | undefined {
  const local = join(PROJECT_ROOT, 'node_modules', '.bin', 'func');
  if (existsSync(local) && spawnSync(local, ['--version'], { stdio: 'ignore' }).status === 0) return local;
  return spawnSync('func', ['--version'], { stdio: 'ignore' }).status === 0 ? 'func' : undefined;
}

function warnAboutPublicUrl(publicBaseUrl: string | undefined): void {
  let loopback = true;
  try {
    loopback = publicBaseUrl === undefined || isLoopbackHost(new URL(publicBaseUrl).hostname);
  } catch {
    // Reported by the app's health check.
  }
  if (loopback) {
    console.warn(
      'WARNING: a real provider cannot reach 127.0.0.1: set PUBLIC_BASE_URL to a public https URL (e.g. a tunnel) for calls.',
    );
  }
}

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535)
    throw new Error(`${name} must be a port number, got '${raw}'.`);
  return value;
}

/** On Catapult nothing listens on WEB_PUBSUB_PORT, so a busy port is never that one. */
function withoutWebPubSub({ WEB_PUBSUB_PORT: _unused, ...ports }: PortSettings): PortSettings {
  return ports;
}

function pick(settings: Record<string, string>, pattern: RegExp): Record<string, string> {
  return Object.fromEntries(Object.entries(settings).filter(([name]) => pattern.test(name)));
}

main().catch((error: unknown) => {
  console.error('npm start failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
