// dev/azurite.ts: free ports on 127.0.0.1, blob on request, on-disk persistence with `location`, and a
// workspace saved however Azurite is stopped (short of kill -9 of Azurite itself).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { startAzurite, type RunningAzurite } from '../../../dev/azurite';
import { createAzureEntityTable } from '../../../core/storage/azure-entity-table';

test('in-memory table + blob on loopback ports, stopped cleanly', async () => {
  const azurite = await startAzurite({ blob: true });
  try {
    assert.match(azurite.tableEndpoint, /^http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1$/);
    assert.match(azurite.blobEndpoint!, /^http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1$/);
    assert.match(azurite.connectionString, /BlobEndpoint=http:\/\/127\.0\.0\.1/);
    const blob = await fetch(`${azurite.blobEndpoint}?comp=list`);
    assert.ok(blob.status >= 200 && blob.status < 500); // the service answers (auth aside)
  } finally {
    await azurite.stop();
  }
  await assert.rejects(fetch(azurite.tableEndpoint));
});

test('with a location the data survives a restart on the same port', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'azurite-core-'));
  try {
    const first = await startAzurite({ location: dir });
    const port = Number(new URL(first.tableEndpoint).port);
    await createAzureEntityTable({ connectionString: first.connectionString, tableName: 'persisted' }).create({
      partitionKey: 'p',
      rowKey: 'r',
      kept: true,
    });
    await first.stop();
    const second = await startAzurite({ location: dir, tablePort: port });
    try {
      const row = await createAzureEntityTable({
        connectionString: second.connectionString,
        tableName: 'persisted',
      }).get<{ kept: boolean }>('p', 'r');
      assert.equal(row?.kept, true);
    } finally {
      await second.stop();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

// Azurite saves an on-disk workspace only when it closes; every way a stack stops must let it close once.
const stopWays: Array<[string, (azurite: RunningAzurite) => Promise<void>]> = [
  ['stop()', (azurite) => azurite.stop()],
  ['SIGINT twice (the terminal, then the stack)', async (azurite) => signalTwice(azurite.pids[0]!, 'SIGINT')],
  ['SIGTERM', async (azurite) => signalTwice(azurite.pids[0]!, 'SIGTERM')],
  ['SIGHUP', async (azurite) => signalTwice(azurite.pids[0]!, 'SIGHUP')],
];
// Each way has its own folder and ports: they run side by side (the tier's time is mostly Azurite starting).
describe('a row written just before Azurite is stopped', { concurrency: true }, () => {
  for (const [way, stopIt] of stopWays) {
    test(`a row written just before ${way} survives the restart, and the process exits`, async () => {
      const dir = await mkdtemp(join(tmpdir(), 'azurite-stop-'));
      try {
        const first = await startAzurite({ location: dir });
        const table = createAzureEntityTable({ connectionString: first.connectionString, tableName: 'stops' });
        await table.create({ partitionKey: 'p', rowKey: 'r', way });
        await stopIt(first);
        await waitForExit(first.pids[0]!);
        const second = await startAzurite({ location: dir });
        try {
          const row = await createAzureEntityTable({
            connectionString: second.connectionString,
            tableName: 'stops',
          }).get<{
            way: string;
          }>('p', 'r');
          assert.equal(row?.way, way);
        } finally {
          await second.stop();
        }
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  }
});

test('an Azurite whose parent is killed with -9 saves its workspace and exits', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'azurite-orphan-'));
  try {
    // A child process starts Azurite, writes a row, reports Azurite's pid and is then killed without warning.
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'support', 'azurite-parent.ts'), dir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const pid = await new Promise<number>((resolvePid, reject) => {
      child.stdout.once('data', (chunk: Buffer) => resolvePid(Number(chunk.toString().trim())));
      child.once('exit', () => reject(new Error('the parent exited before writing')));
    });
    child.kill('SIGKILL');
    await waitForExit(pid);
    const second = await startAzurite({ location: dir });
    try {
      const row = await createAzureEntityTable({ connectionString: second.connectionString, tableName: 'orphan' }).get<{
        kept: boolean;
      }>('p', 'r');
      assert.equal(row?.kept, true);
    } finally {
      await second.stop();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

function signalTwice(pid: number, signal: NodeJS.Signals): void {
  process.kill(pid, signal);
  process.kill(pid, signal);
}

async function waitForExit(pid: number, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) throw new Error(`process ${pid} still running after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
