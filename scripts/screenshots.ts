// `npm run screenshots [-- tests/e2e/x.test.ts ...]`: refreshes the gallery in docs/screenshots/ from the browser
// tests. The tests never write into the working tree (they save to a temporary folder); this script runs them
// (all of tests/e2e, or the files named) through scripts/run-tests.ts, so with the same network isolation, and only
// when they all pass copies every picture they took into docs/screenshots/, replacing those of the same name.
// Types and lint are npm test's business: a picture does not depend on them.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
const GALLERY = join(ROOT, 'docs', 'screenshots');

function main(): number {
  const files = process.argv.slice(2);
  const taken = mkdtempSync(join(tmpdir(), 'vra-gallery-'));
  const run = spawnSync(
    process.execPath,
    [
      ...process.execArgv,
      join(__dirname, 'run-tests.ts'),
      ...(files.length > 0 ? files : ['e2e']),
      '--no-lint',
      '--no-typecheck',
    ],
    { cwd: ROOT, stdio: 'inherit', env: { ...process.env, VRA_SCREENSHOT_DIR: taken } },
  );
  if (run.status !== 0) {
    // A failed journey may have stopped on a wrong screen: the gallery keeps what it had.
    console.error(`screenshots: the browser tests failed; docs/screenshots/ is unchanged (pictures in ${taken})`);
    return run.status ?? 1;
  }
  const pictures = readdirSync(taken).filter((name) => name.endsWith('.png'));
  mkdirSync(GALLERY, { recursive: true });
  for (const name of pictures) copyFileSync(join(taken, name), join(GALLERY, name));
  console.log(`screenshots: ${pictures.length} picture(s) copied into docs/screenshots/`);
  return 0;
}

process.exitCode = main();
