// The operator's functions and the maintenance timer through the Functions types with a fake VoiceApp: what
// reaches the core, the answer, and what the timer logs (a failed repair is a warning, a fault is thrown so the
// platform records the run as failed).
import assert from 'node:assert/strict';
import { InvocationContext, type Timer } from '@azure/functions';
import { beforeEach, describe, it } from 'node:test';
import { AppError } from '../../../core/errors';
import { doctorGet } from '../../../functions/doctor-get';
import { doctorRepair } from '../../../functions/doctor-repair';
import { maintenanceRun } from '../../../functions/maintenance-run';
import { outboundBreakerGet } from '../../../functions/outbound-breaker-get';
import { outboundBreakerLift } from '../../../functions/outbound-breaker-lift';
import { createFakeVoiceApp, SAMPLE_DOCTOR_REPORT, type FakeVoiceApp } from '../../support/fake-voice-app';
import { invoke, type CapturedLog } from '../../support/functions-harness';

let fake: FakeVoiceApp;
beforeEach(() => {
  fake = createFakeVoiceApp();
});

describe('doctor-get and doctor-repair', () => {
  it('GET reports without repairing: 200, the report, never cached', async () => {
    const res = await invoke(doctorGet, fake, { method: 'GET', path: '/api/ops/doctor' });
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, SAMPLE_DOCTOR_REPORT);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.deepEqual(fake.calls, [{ method: 'doctor', args: [{ repair: false }] }]);
  });

  it('POST repairs and answers what is left', async () => {
    const res = await invoke(doctorRepair, fake, { method: 'POST', path: '/api/ops/doctor/repair' });
    assert.equal(res.status, 200);
    assert.deepEqual(fake.calls, [{ method: 'doctor', args: [{ repair: true }] }]);
  });

  it('a dependency fault is its error code and status', async () => {
    fake.failWith('doctor', new AppError('provider-unavailable', 'Catapult did not answer.'));
    const res = await invoke(doctorRepair, fake, { method: 'POST', path: '/api/ops/doctor/repair' });
    assert.equal(res.status, 503);
    assert.equal((res.json as { error: { code: string } }).error.code, 'provider-unavailable');
  });
});

describe('outbound-breaker-get and outbound-breaker-lift', () => {
  it('GET reads the breaker without lifting it: 200, never cached', async () => {
    const res = await invoke(outboundBreakerGet, fake, { method: 'GET', path: '/api/ops/outbound-breaker' });
    assert.equal(res.status, 200);
    assert.equal((res.json as { open: boolean }).open, false);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.deepEqual(fake.calls, [{ method: 'outboundBreaker', args: [{ lift: false }] }]);
  });

  it('POST lifts it and says whether it did', async () => {
    const res = await invoke(outboundBreakerLift, fake, { method: 'POST', path: '/api/ops/outbound-breaker/lift' });
    assert.equal(res.status, 200);
    assert.equal((res.json as { lifted: boolean }).lifted, false);
    assert.deepEqual(fake.calls, [{ method: 'outboundBreaker', args: [{ lift: true }] }]);
  });

  it('storage down is 503 storage-unavailable', async () => {
    fake.failWith('outboundBreaker', new AppError('storage-unavailable', 'Storage did not answer.'));
    const res = await invoke(outboundBreakerLift, fake, { method: 'POST', path: '/api/ops/outbound-breaker/lift' });
    assert.equal(res.status, 503);
    assert.equal((res.json as { error: { code: string } }).error.code, 'storage-unavailable');
  });
});

describe('maintenance-run', () => {
  const timer: Timer = {
    isPastDue: false,
    schedule: { adjustForDST: false },
    scheduleStatus: { last: '', next: '', lastUpdated: '' },
  };
  const run = async () => {
    const logs: CapturedLog[] = [];
    const context = new InvocationContext({
      functionName: 'maintenance-run',
      logHandler: (level, ...args) =>
        logs.push({ level, text: args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ') }),
    });
    await maintenanceRun(timer, context, fake);
    return logs;
  };

  it('runs the maintenance and logs what is left', async () => {
    const logs = await run();
    assert.deepEqual(fake.calls, [{ method: 'runMaintenance', args: [] }]);
    assert.deepEqual(logs, [
      { level: 'information', text: 'maintenance done {"repaired":0,"failed":[],"remaining":["number-without-user"]}' },
    ]);
  });

  it('a failed repair is a warning naming it', async () => {
    fake.runMaintenance = async () => ({
      ...SAMPLE_DOCTOR_REPORT,
      repairs: [
        { code: 'endpoint-missing', subject: 'alice', ok: true, message: 'Endpoint re-created.' },
        { code: 'number-without-user', subject: '+19195551213', ok: false, message: 'Catapult did not answer.' },
      ],
    });
    const logs = await run();
    assert.equal(logs.length, 1);
    assert.equal(logs[0]!.level, 'warning');
    assert.match(logs[0]!.text, /"repaired":1,"failed":\["number-without-user"\]/);
  });

  it('another instance running it is logged, not an error', async () => {
    fake.runMaintenance = async () => undefined;
    assert.deepEqual(await run(), [{ level: 'information', text: 'maintenance: another instance is running it' }]);
  });

  it('a fault is thrown, so the platform records the run as failed', async () => {
    fake.failWith('runMaintenance', new AppError('storage-unavailable', 'Storage did not answer.'));
    await assert.rejects(run(), (error) => error instanceof AppError && error.code === 'storage-unavailable');
  });
});
