// `npm start`: the whole app on this machine for a person trying it out. Azurite, the Catapult sandbox,
// the Functions (local host) and the dialpad on its own origin. The sandbox keeps its numbers and
// endpoints in memory, so with it the app's tables are in memory too: a restart starts both over
// together, instead of leaving users whose numbers and endpoints no longer exist. Against the real
// Catapult the tables are kept on disk under .azurite/.
// With CATAPULT_USER_ID/CATAPULT_API_TOKEN/CATAPULT_API_SECRET in the environment it talks to the
// real Catapult instead and starts no sandbox. `npm start -- --func` runs `func start` (Core Tools)
// instead of the local host; `--no-web` serves the API without the dialpad. Ctrl-C, SIGTERM or SIGHUP (to
// npm or to this process) stop everything, and Azurite writes out what it acknowledged before it exits
// (dev/stop-requests.ts, dev/azurite.ts).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CONFIG_SETTINGS, isLoopbackHost } from '../core/config';
import { PROJECT_ROOT } from './function-registry';
import { startStack, type Stack } from './stack';
import { onStopRequest } from './stop-requests';

async function main(): Promise<void> {
  const env = process.env;
  const useFunc = process.argv.includes('--func');
  const web = !process.argv.includes('--no-web');
  const dataDir = resolve(env.DEV_DATA_DIR ?? join(PROJECT_ROOT, '.azurite'));
  await mkdir(dataDir, { recursive: true });
  const functionKey = await persistentFunctionKey(dataDir);
  const apiPort = port('PORT', 7071);
  const real = Boolean(env.CATAPULT_USER_ID && env.CATAPULT_API_TOKEN && env.CATAPULT_API_SECRET);
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

  const stack = (running.stack = await startStack({
    persistence: real ? 'disk' : 'memory',
    dataDir,
    timers: true,
    functionKey,
    apiPort,
    webPort: port('WEB_PORT', 4280),
    sandboxPort: port('SANDBOX_PORT', 8088),
    tablePort: port('AZURITE_TABLE_PORT', 10002),
    web,
    ...(real ? { catapultEnv: pick(settings, /^CATAPULT_/) } : {}),
    env: settings,
    log: (line) => console.log(line),
    ...(useFunc ? { externalApiUrl: `http://127.0.0.1:${apiPort}` } : {}),
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
  const lines = [
    '',
    'Voice Reference App is running',
    `  Dialpad          ${stack.webUrl}`,
    `  API              ${stack.apiUrl}/api/health   (${func ? 'func start' : 'local Functions host'})`,
    `  Operator         npm run doctor [-- --repair]   (function key in ${join(stack.dataDir, 'function-key')})`,
  ];
  if (!stack.webUrl) lines.splice(2, 1);
  if (stack.sandbox) {
    // The sandbox's account is a throwaway local credential: showing it is the point.
    lines.push(
      `  Sandbox phone    ${stack.sandbox.baseUrl}/sandbox/phone   (call your number from the simulated phone network)`,
      `  Catapult API     ${stack.sandbox.apiUrl}   (sandbox)`,
      `  Sandbox account  userId ${stack.sandbox.account.userId}  token ${stack.sandbox.account.apiToken}  secret ${stack.sandbox.account.apiSecret}`,
    );
  } else {
    lines.push(
      `  Catapult API     ${stack.env.CATAPULT_API_URL ?? 'https://api.catapult.inetwork.com/v1'}   (real, user ${stack.env.CATAPULT_USER_ID})`,
    );
  }
  lines.push(
    real
      ? `  Storage          Azurite, data in ${stack.dataDir} (delete it to start over)`
      : `  Storage          Azurite in memory, like the sandbox: stopping starts everything over`,
    '',
    real
      ? 'Using real Catapult credentials from the environment.'
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
      'WARNING: real Catapult cannot reach 127.0.0.1: set PUBLIC_BASE_URL to a public https URL (e.g. a tunnel) for calls.',
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

function pick(settings: Record<string, string>, pattern: RegExp): Record<string, string> {
  return Object.fromEntries(Object.entries(settings).filter(([name]) => pattern.test(name)));
}

main().catch((error: unknown) => {
  console.error('npm start failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
