// `npm test [-- unit|integration|e2e|tests/<tier>/x.test.ts ...]`: typecheck (every project `npm run typecheck`
// names), lint (ESLint) and the format check (Prettier), then each tier's tests/<tier>/**/*.test.ts (or only the
// files named) through node's test runner, passing the exit code through. `--no-typecheck` and `--no-lint` skip those steps while iterating on one tier.
//
// Network isolation: tests must only ever talk to 127.0.0.1. When this runs as root with `unshare`
// (CI), it re-executes itself in a fresh network namespace that has only a loopback interface, so
// a test that tries to reach anything else fails instead of leaking traffic. On a developer laptop
// (no root) it warns and runs as is.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

import { chooseFiles, chooseTiers, tierOf, TIERS, type Tier } from './test-selection';

const ROOT = join(__dirname, '..');

/**
 * Upper bounds per tier, so a hung server cannot stall CI. The integration tier starts and stops the real
 * `npm start` (Azurite, the host, the sandbox) a few dozen times for the stop and crash tests; on a shared 2-core
 * machine that alone takes minutes, so its guard is 20 minutes. The unit tier's type-aware lint tests alone took
 * 80 s there (under 10 s on an idle machine), so its guard is 10 minutes. Integration and e2e run their journeys
 * on both providers, so on such a machine the e2e tier too can take well over 10 minutes: its guard is 20 minutes.
 */
const TIER_TIMEOUT_MS: Record<Tier, number> = { unit: 10 * 60_000, integration: 20 * 60_000, e2e: 20 * 60_000 };
const ISOLATED_MARK = 'VRA_TEST_NETNS';
/** Where tests/e2e/support/screenshots.ts saves the browser tests' screenshots. */
const SCREENSHOT_DIR_VARIABLE = 'VRA_SCREENSHOT_DIR';

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const skipTypecheck = args.includes('--no-typecheck');
  const skipLint = args.includes('--no-lint');
  const requested = args.filter((arg) => !arg.startsWith('--'));
  // Test files may be named instead of (or besides) tiers: each runs in its own tier, alone of that tier's files.
  const chosenFiles = requested.filter((arg) => arg.endsWith('.test.ts')).map((file) => relative(ROOT, resolve(file)));
  const unknown = requested.filter((arg) => !arg.endsWith('.test.ts') && !(TIERS as readonly string[]).includes(arg));
  const strayFiles = chosenFiles.filter((file) => tierOf(file) === undefined || !existsSync(join(ROOT, file)));
  if (unknown.length > 0 || strayFiles.length > 0) {
    console.error(
      `run-tests: unknown tier(s) or test file(s) ${[...unknown, ...strayFiles].join(', ')}; use ${TIERS.join(' | ')} or tests/<tier>/**/*.test.ts`,
    );
    return 2;
  }
  const request = { tiers: requested.filter((arg) => !arg.endsWith('.test.ts')), files: chosenFiles };
  const tiers = chooseTiers(request);

  const isolation = isolateNetwork();
  if (isolation !== undefined) return isolation;

  if (!skipTypecheck) {
    // Every TypeScript project (the Node tree, the dialpad, its build script, its tests), as package.json lists
    // them; tests/unit/typecheck-projects.test.ts checks that the list covers every .ts file in the repository.
    const tsc = join(ROOT, 'node_modules', '.bin', 'tsc');
    for (const project of typecheckProjects()) {
      const started = Date.now();
      console.log(`run-tests: typecheck ${project}`);
      const result = spawnSync(tsc, ['--noEmit', '-p', project], { cwd: ROOT, stdio: 'inherit' });
      if (result.status !== 0) {
        console.error(`run-tests: typecheck failed for ${project}`);
        return result.status ?? 1;
      }
      console.log(`run-tests: typecheck ${project} ok (${seconds(started)})`);
    }
  }

  if (!skipLint) {
    // Lint and format are checks like the types: a failure stops the run before any test starts.
    for (const script of ['lint', 'format:check']) {
      const started = Date.now();
      console.log(`run-tests: ${script} (npm run ${script})`);
      const result = spawnSync('npm', ['run', '--silent', script], { cwd: ROOT, stdio: 'inherit' });
      if (result.status !== 0) {
        console.error(`run-tests: ${script} failed; \`npm run lint:fix\` and \`npm run format\` fix most of it`);
        return result.status ?? 1;
      }
      console.log(`run-tests: ${script} ok (${seconds(started)})`);
    }
  }

  // The browser tests' screenshots: a fresh folder outside the repository for this run, unless one is given.
  if (tiers.includes('e2e') && !process.env[SCREENSHOT_DIR_VARIABLE]) {
    process.env[SCREENSHOT_DIR_VARIABLE] = mkdtempSync(join(tmpdir(), 'vra-screenshots-'));
  }

  const results: Array<{ tier: Tier; files: number; code: number; time: string; counts?: TestCounts }> = [];
  for (const tier of tiers) {
    const files = chooseFiles(
      request,
      tier,
      findTestFiles(join(ROOT, 'tests', tier)).map((file) => relative(ROOT, file)),
    );
    if (files.length === 0) {
      // A tier that finds nothing to run is a broken selection or tree, never a pass.
      console.error(`run-tests: ${tier}: no test files`);
      results.push({ tier, files: 0, code: 1, time: '0s' });
      continue;
    }
    const started = Date.now();
    console.log(`\nrun-tests: ${tier}: ${files.length} file(s)`);
    const { code, counts } = await runNodeTests(files, TIER_TIMEOUT_MS[tier]);
    results.push({ tier, files: files.length, code, time: seconds(started), counts });
  }

  console.log('\nrun-tests: summary');
  for (const result of results) {
    const counts = result.counts ? `  ${result.counts.passed} passed, ${result.counts.failed} failed` : '';
    console.log(
      `  ${result.tier.padEnd(12)} ${String(result.files).padStart(3)} file(s)  ${result.code === 0 ? 'pass' : `FAIL (exit ${result.code})`}  ${result.time}${counts}`,
    );
  }
  // One plain closing line over every tier, for people and CI logs alike.
  const passed = results.reduce((sum, result) => sum + (result.counts?.passed ?? 0), 0);
  const failed = results.reduce((sum, result) => sum + (result.counts?.failed ?? 0), 0);
  if (tiers.includes('e2e')) console.log(`screenshots: ${process.env[SCREENSHOT_DIR_VARIABLE]}`);
  console.log(`tests: ${passed} passed, ${failed} failed`);
  return results.find((result) => result.code !== 0)?.code ?? 0;
}

/** The `-p` projects of package.json's `typecheck` script, so `npm test` and `npm run typecheck` check the same. */
function typecheckProjects(): string[] {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { typecheck: string } };
  return [...manifest.scripts.typecheck.matchAll(/-p (\S+)/g)].map(([, project]) => project!);
}

/** Returns an exit code when the tests already ran in an isolated child, undefined to run here. */
function isolateNetwork(): number | undefined {
  if (process.env[ISOLATED_MARK] === '1' || loopbackOnly()) {
    console.log('run-tests: network: loopback only');
    return undefined;
  }
  const canIsolate =
    process.platform === 'linux' &&
    process.getuid?.() === 0 &&
    spawnSync('unshare', ['-n', 'true'], { stdio: 'ignore' }).status === 0;
  if (!canIsolate) {
    console.warn(
      'run-tests: WARNING: cannot isolate the network (needs root and unshare); tests run with normal network access',
    );
    return undefined;
  }
  // A new network namespace starts with loopback down; bring it up, then run this script again inside.
  const script = 'ip link set lo up && exec "$0" "$@"';
  const result = spawnSync(
    'unshare',
    ['-n', 'sh', '-c', script, process.execPath, ...process.execArgv, __filename, ...process.argv.slice(2)],
    { cwd: ROOT, stdio: 'inherit', env: { ...process.env, [ISOLATED_MARK]: '1' } },
  );
  return result.status ?? 1;
}

/** /proc/net/dev is per network namespace (unlike /sys/class/net, which follows the mount namespace). */
function loopbackOnly(): boolean {
  try {
    const interfaces = readFileSync('/proc/net/dev', 'utf8')
      .split('\n')
      .slice(2)
      .map((line) => line.split(':')[0]!.trim())
      .filter(Boolean);
    return interfaces.length > 0 && interfaces.every((name) => name === 'lo');
  } catch {
    return false;
  }
}

function findTestFiles(directory: string): string[] {
  let entries;
  try {
    entries = readdirSync(directory, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .flatMap((entry) => {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : findTestFiles(path);
      return entry.name.endsWith('.test.ts') ? [path] : [];
    })
    .sort();
}

interface TestCounts {
  passed: number;
  failed: number; // failed + cancelled: a cancelled test did not pass
}

/** Reads the totals from the TAP copy of the run (`# pass N`, `# fail N`, `# cancelled N`). */
function readTapCounts(tapFile: string): TestCounts | undefined {
  let tap: string;
  try {
    tap = readFileSync(tapFile, 'utf8');
  } catch {
    return undefined;
  }
  const total = (name: string) => Number(tap.match(new RegExp(`^# ${name} (\\d+)$`, 'm'))?.[1] ?? 0);
  return { passed: total('pass'), failed: total('fail') + total('cancelled') };
}

function runNodeTests(files: string[], timeoutMs: number): Promise<{ code: number; counts?: TestCounts }> {
  const tapFile = join(mkdtempSync(join(tmpdir(), 'run-tests-')), 'results.tap');
  return new Promise((resolvePromise) => {
    // Files are always named: `--test <dir>` runs nothing on Node 20 and still exits 0.
    // The spec reporter goes to the console; a TAP copy goes to a file, only to count the results.
    const reporters = [
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=tap',
      `--test-reporter-destination=${tapFile}`,
    ];
    // end-test-process.mjs: a file's process ends a few seconds after its tests and hooks (see there).
    const endProcess = join(ROOT, 'scripts', 'end-test-process.mjs');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--import', endProcess, '--test', ...reporters, ...files],
      {
        cwd: ROOT,
        stdio: 'inherit',
        detached: true, // own process group, so a timeout can stop the servers the tests started too
      },
    );
    const timer = setTimeout(() => {
      console.error(`run-tests: timed out after ${timeoutMs / 1000}s; stopping`);
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }, timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code: code ?? (signal ? 1 : 0), counts: readTapCounts(tapFile) });
    });
  });
}

function seconds(started: number): string {
  return `${((Date.now() - started) / 1000).toFixed(1)}s`;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
