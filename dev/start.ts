// `npm start`: the whole app on this machine for a person trying it out. Azurite, the Catapult sandbox,
// the Functions (local host) and the dialpad on its own origin. The sandbox keeps its numbers and
// endpoints in memory, so with it the app's tables are in memory too: a restart starts both over
// together, instead of leaving users whose numbers and endpoints no longer exist. Against the real
// Catapult the tables are kept on disk under .azurite/.
// With CATAPULT_USER_ID/CATAPULT_API_TOKEN/CATAPULT_API_SECRET in the environment it talks to the
// real Catapult instead and starts no sandbox. `npm start -- --func` runs `func start` (Core Tools)
// instead of the local host. Ctrl-C stops everything.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_SETTINGS, isLoopbackHost } from '../core/config';
import { PROJECT_ROOT } from './function-registry';
import { startStack, type Stack } from './stack';

async function main(): Promise<void> {
  const env = process.env;
  const useFunc = process.argv.includes('--func');
  const apiPort = port('PORT', 7071);
  const real = Boolean(env.CATAPULT_USER_ID && env.CATAPULT_API_TOKEN && env.CATAPULT_API_SECRET);
  // Any app setting in the environment wins over the local defaults (e.g. ALLOWED_DIAL_COUNTRIES).
  const settings: Record<string, string> = {};
  for (const { name } of CONFIG_SETTINGS) if (env[name]) settings[name] = env[name]!;
  if (real) warnAboutPublicUrl(settings.PUBLIC_BASE_URL);

  const funcBinary = useFunc ? findFunc() : undefined;
  if (useFunc && !funcBinary)
    throw new Error('--func needs Azure Functions Core Tools (`func`) on the PATH or in node_modules/.bin.');

  const stack = await startStack({
    persistence: real ? 'disk' : 'memory',
    apiPort,
    webPort: port('WEB_PORT', 4280),
    sandboxPort: port('SANDBOX_PORT', 8088),
    tablePort: port('AZURITE_TABLE_PORT', 10002),
    web: true,
    ...(real ? { catapultEnv: pick(settings, /^CATAPULT_/) } : {}),
    env: settings,
    log: (line) => console.log(line),
    ...(useFunc ? { externalApiUrl: `http://127.0.0.1:${apiPort}` } : {}),
  });
  const func = funcBinary ? startFunc(funcBinary, stack, apiPort) : undefined;
  printWelcome(stack, real, Boolean(func));

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    func?.kill('SIGINT');
    stack.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('stop failed:', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  func?.on('exit', (code) => {
    if (!stopping) console.error(`func exited (${code}); stopping the rest.`);
    stop('func exit');
  });
}

function printWelcome(stack: Stack, real: boolean, func: boolean): void {
  const lines = [
    '',
    'Voice Reference App is running',
    `  Dialpad          ${stack.webUrl}`,
    `  API              ${stack.apiUrl}/api/health   (${func ? 'func start' : 'local Functions host'})`,
  ];
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
      ? `  Storage          Azurite, data in .azurite/ (delete it to start over)`
      : `  Storage          Azurite in memory, like the sandbox: stopping starts everything over`,
    '',
    real
      ? 'Using real Catapult credentials from the environment.'
      : 'Open the dialpad, sign up with a username and pick a number.',
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
