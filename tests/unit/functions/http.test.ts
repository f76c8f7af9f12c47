// The one error mapper: AppError keeps its status, code and field; anything else is a 500 whose
// details reach the log and never the client.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvocationContext } from '@azure/functions';
import { AppError } from '../../../core/errors';
import { errorResponse } from '../../../functions/http';
import { healthGet } from '../../../functions/health-get';
import { createInvocationLogger, runWithInvocation } from '../../../functions/index';
import { createFakeVoiceApp } from '../../support/fake-voice-app';
import { invoke } from '../../support/functions-harness';

function capturingContext() {
  const lines: string[] = [];
  const context = new InvocationContext({ logHandler: (level, ...args) => lines.push(`${level} ${args.join(' ')}`) });
  return { context, lines };
}

describe('errorResponse', () => {
  it('maps an AppError to its status and a stable body', () => {
    const { context } = capturingContext();
    const response = errorResponse(new AppError('username-taken', 'That username is taken.', 'username'), context);
    assert.equal(response.status, 409);
    assert.deepEqual(response.jsonBody, {
      error: { code: 'username-taken', message: 'That username is taken.', field: 'username' },
    });
  });

  it('leaves out field when the error has none', () => {
    const { context } = capturingContext();
    const response = errorResponse(new AppError('storage-unavailable', 'Storage is not answering.'), context);
    assert.equal(response.status, 503);
    assert.deepEqual(response.jsonBody, {
      error: { code: 'storage-unavailable', message: 'Storage is not answering.' },
    });
  });

  it('turns any other error into 500 internal-error and logs the stack only', () => {
    const { context, lines } = capturingContext();
    const response = errorResponse(new TypeError('secret detail at core/x.ts:12'), context);
    assert.equal(response.status, 500);
    assert.deepEqual(response.jsonBody, {
      error: { code: 'internal-error', message: 'Something went wrong. Please try again.' },
    });
    assert.ok(!JSON.stringify(response.jsonBody).includes('secret detail'));
    assert.ok(lines.some((line) => line.startsWith('error') && line.includes('secret detail')));
  });
});

describe('handler wrapper', () => {
  it('maps an unexpected throw from the core to 500 without leaking it', async () => {
    const fake = createFakeVoiceApp();
    fake.failWith('health', new Error('unexpected core failure xyz'));
    const res = await invoke(healthGet, fake, { method: 'GET', path: '/api/health' });
    assert.equal(res.status, 500);
    assert.ok(!res.text.includes('unexpected core failure xyz'));
    assert.ok(res.logs.some((log) => log.level === 'error' && log.text.includes('unexpected core failure xyz')));
  });
});

describe('createInvocationLogger', () => {
  it('writes through the current invocation’s context, and to the fallback outside one', async () => {
    const fallback: string[] = [];
    const logger = createInvocationLogger({
      info: (message) => fallback.push(`info ${message}`),
      warn: (message) => fallback.push(`warn ${message}`),
      error: (message) => fallback.push(`error ${message}`),
    });
    const { context, lines } = capturingContext();
    await runWithInvocation(context, async () => {
      logger.info('signed up', { username: 'alice' });
      logger.warn('slow storage');
      await Promise.resolve();
      logger.error('transfer failed', { callId: 'c-1' });
    });
    logger.warn('outside');
    assert.deepEqual(lines, [
      'information signed up [object Object]',
      'warning slow storage',
      'error transfer failed [object Object]',
    ]);
    assert.deepEqual(fallback, ['warn outside']);
  });
});
