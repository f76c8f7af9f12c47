import { createVoiceApp, type CreateVoiceAppOptions } from '../../../../core/create-voice-app';
import { createMemoryTables } from '../../../../core/storage/stores';
import { FakeCatapult } from './fake-catapult';
import { testConfig } from './test-config';

export function makeApp(overrides: Partial<CreateVoiceAppOptions> = {}, env: Record<string, string> = {}) {
  const catapult = new FakeCatapult();
  const tables = createMemoryTables();
  const clock = { now: Date.parse('2026-11-26T10:00:00Z') };
  const app = createVoiceApp({
    config: testConfig(env),
    catapult,
    tables,
    now: () => clock.now,
    sweepIntervalMs: 0,
    bootstrap: { pollMs: 5, waitMs: 2000 },
    ...overrides,
  });
  return { app, catapult, tables, clock };
}
