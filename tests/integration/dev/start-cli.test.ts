// `npm start` as a person meets it: a port that is taken is named by the variable that moves it, and loading the
// functions prints no @azure/functions "test mode" warnings. Every port is ephemeral (0) but the one made busy.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

const ROOT = join(__dirname, '..', '..', '..');

interface Run {
  code: number | null;
  output: string;
}

/** Runs `code` or dev/start.ts under tsx with `env`, and collects its output until it exits. */
function runNode(args: string[], env: Record<string, string>, timeoutMs: number): Promise<Run> {
  // Without the providers' credentials: npm start then runs on the sandbox, never on a real account.
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(CATAPULT|BANDWIDTH|WEB_PUBSUB)_/.test(name)),
  );
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: ROOT,
    env: { ...base, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`still running after ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('npm start (dev/start.ts)', { timeout: 120_000 }, () => {
  let busy: Server;
  let busyPort = 0;
  before(async () => {
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    busyPort = (busy.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((resolve) => busy.close(() => resolve())));

  // Its data folder (the operator key) goes to a temporary folder, not the repository's .azurite/.
  const ephemeral = {
    PORT: '0',
    WEB_PORT: '0',
    SANDBOX_PORT: '0',
    WEB_PUBSUB_PORT: '0',
    AZURITE_TABLE_PORT: '0',
    DEV_DATA_DIR: mkdtempSync(join(tmpdir(), 'vra-start-cli-')),
  };
  after(() => rmSync(ephemeral.DEV_DATA_DIR, { recursive: true, force: true }));

  it('names PORT when the API port is taken, and stops', async () => {
    const run = await runNode(['dev/start.ts'], { ...ephemeral, PORT: String(busyPort) }, 100_000);
    assert.equal(run.code, 1, run.output);
    assert.match(
      run.output,
      new RegExp(`port ${busyPort} is already in use \\(PORT\\): stop what is using it, or set PORT to another port`),
    );
    assert.doesNotMatch(run.output, /Voice Reference App is running/);
  });

  it('names WEB_PORT when the dialpad’s port is taken', async () => {
    const run = await runNode(['dev/start.ts'], { ...ephemeral, WEB_PORT: String(busyPort) }, 100_000);
    assert.equal(run.code, 1, run.output);
    assert.match(run.output, new RegExp(`port ${busyPort} is already in use \\(WEB_PORT\\)`));
  });

  it('loads the functions with their appStart hooks recorded, and no "test mode" warnings', async () => {
    const script =
      "const app = require('./dev/function-registry').loadFunctionApp();" +
      'console.log(JSON.stringify({ hooks: app.appStartHooks.length, functions: app.registrations.length }));';
    const run = await runNode(['-e', script], {}, 30_000);
    assert.equal(run.code, 0, run.output);
    assert.doesNotMatch(run.output, /test mode/);
    const counts = JSON.parse(run.output.trim().split('\n').pop()!) as { hooks: number; functions: number };
    assert.equal(counts.hooks, 2, 'the config report and the dialpad publishing');
    assert.ok(counts.functions > 0);
  });
});
