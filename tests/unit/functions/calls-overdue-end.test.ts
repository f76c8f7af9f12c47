// The timer function that keeps the longest-call cap on an idle app (registrations.test.ts checks it runs every
// minute): it asks the core to end overdue calls, says how many it ended, and fails the run (after a warning) when the core cannot.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvocationContext, type Timer } from '@azure/functions';
import { AppError } from '../../../core/errors';
import { callsOverdueEnd } from '../../../functions/calls-overdue-end';
import { createFakeVoiceApp } from '../../support/fake-voice-app';
import { makeApp } from '../core/support/make-app';

const TIMER: Timer = {
  isPastDue: false,
  schedule: { adjustForDST: false },
  scheduleStatus: { last: '', next: '', lastUpdated: '' },
};

function capture() {
  const lines: string[] = [];
  const context = new InvocationContext({
    functionName: 'calls-overdue-end',
    logHandler: (level, ...args) => lines.push(`${level}: ${args.join(' ')}`),
  });
  return { lines, context };
}

describe('calls-overdue-end (timer)', () => {
  it('asks the core to end overdue calls and says how many it ended', async () => {
    const voiceApp = createFakeVoiceApp();
    voiceApp.endOverdueCalls = async () => {
      voiceApp.calls.push({ method: 'endOverdueCalls', args: [] });
      return 2;
    };
    const { lines, context } = capture();
    await callsOverdueEnd(TIMER, context, voiceApp);
    assert.deepEqual(
      voiceApp.calls.map((c) => c.method),
      ['endOverdueCalls'],
    );
    assert.deepEqual(lines, ['information: ended 2 call(s) past their longest length']);
  });

  it('runs the real core’s watchdog (nothing overdue: nothing said)', async () => {
    const { app } = makeApp();
    const { lines, context } = capture();
    // The HTTP guard passes endOverdueCalls through as it is; the rest of the facade is not used here.
    await callsOverdueEnd(TIMER, context, { ...createFakeVoiceApp(), endOverdueCalls: () => app.endOverdueCalls() });
    assert.deepEqual(lines, []);
  });

  it('warns with the fault’s code and fails the run when storage is down', async () => {
    const voiceApp = createFakeVoiceApp();
    const fault = new AppError('storage-unavailable', 'Storage did not answer.');
    voiceApp.failWith('endOverdueCalls', fault);
    const { lines, context } = capture();
    await assert.rejects(callsOverdueEnd(TIMER, context, voiceApp), (error) => error === fault);
    assert.deepEqual(lines, ['warning: overdue call check failed: storage-unavailable']);
  });
});
