// The upkeep part of the provider seam is optional: Bandwidth has none. Health and the doctor must then still
// answer (the doctor saying plainly that it could not check the provider) and the sweep of sign-ups still runs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../../core/config';
import { createVoiceApp } from '../../../core/create-voice-app';
import type { UserNotifier } from '../../../core/notifications/user-notifier';
import { createMemoryTables } from '../../../core/storage/stores';
import { BANDWIDTH_ENV } from './support/bandwidth-env';

function bandwidthApp(fetchImpl: typeof fetch) {
  const loaded = loadConfig(BANDWIDTH_ENV);
  assert.ok(loaded.ok);
  const notifier: UserNotifier = {
    send: () => Promise.resolve(),
    clientAccess: () => Promise.reject(new Error('not used')),
  };
  const clock = { now: Date.parse('2026-11-26T10:00:00Z') };
  const tables = createMemoryTables();
  const app = createVoiceApp({
    config: loaded.config,
    tables,
    notifier,
    now: () => clock.now,
    sweepIntervalMs: 0,
    bandwidth: { fetch: fetchImpl, numbersHttp: { maxAttempts: 1, timeoutMs: 500 }, voiceApi: { maxAttempts: 1 } },
  });
  return { app, tables, clock };
}

test('Bandwidth has no upkeep: the doctor says the provider was not checked instead of failing', async () => {
  let calls = 0;
  const { app } = bandwidthApp(() => {
    calls += 1;
    return Promise.reject(new Error('the doctor must not reach the provider'));
  });
  assert.equal(app.provider.name, 'bandwidth');
  assert.equal(app.provider.upkeep, undefined);

  const report = await app.doctor({ repair: false });
  assert.equal(report.nothingToRepair, true);
  assert.deepEqual(report.problems, []);
  assert.match(report.providerNotChecked ?? '', /Bandwidth has no upkeep.*not the application, numbers or endpoints/);
  assert.deepEqual(report.counts, { users: 0, numbers: 0, identities: 0, pendingSignUps: 0 });

  const repaired = await app.doctor({ repair: true });
  assert.match(repaired.providerNotChecked ?? '', /repairs nothing there/);
  await app.runMaintenance();
  assert.equal(calls, 0);
});

test('Bandwidth has no upkeep: health still probes the provider and reports its fault without crashing', async () => {
  const down = bandwidthApp(() => Promise.resolve(new Response('unavailable', { status: 503 })));
  const health = await down.app.health();
  assert.equal(health.provider, 'bandwidth');
  assert.equal(health.status, 'degraded');
  assert.equal(health.checks.storage.ok, true);
  assert.equal(health.checks.provider.ok, false);
  assert.ok(health.checks.provider.code, 'a stable code for the provider fault');
});
