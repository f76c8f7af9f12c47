// The dialpad's side of the limits: the wait from a refusal (error body, or Retry-After when readable) and
// the plain words it shows for each refusal.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError, createApiClient } from '../../../web/src/api';
import { errorText, waitText } from '../../../web/src/error-text';

function clientAnswering(response: () => Response) {
  return createApiClient({
    baseUrl: 'https://api.example.test',
    getToken: () => undefined,
    fetch: async () => response(),
  });
}

async function refusal(response: () => Response): Promise<ApiError> {
  try {
    await clientAnswering(response).signUp({ username: 'bot', number: '+19195550100', signature: 's' });
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

const body = (retryAfterSeconds?: number) =>
  JSON.stringify({
    error: { code: 'too-many-signups', message: 'Too many.', ...(retryAfterSeconds ? { retryAfterSeconds } : {}) },
  });

describe('a refused limit in the dialpad', () => {
  it('reads the wait from the error body (a cross-origin answer may hide Retry-After)', async () => {
    const error = await refusal(() => new Response(body(2520), { status: 429 }));
    assert.equal(error.code, 'too-many-signups');
    assert.equal(error.status, 429);
    assert.equal(error.retryAfterSeconds, 2520);
    assert.equal(
      errorText(error),
      'Too many accounts were created from your network recently. Please try again in 42 minutes.',
    );
  });

  it('falls back to a readable Retry-After header, and ignores a malformed one', async () => {
    const withHeader = await refusal(() => new Response(body(), { status: 429, headers: { 'Retry-After': '90' } }));
    assert.equal(withHeader.retryAfterSeconds, 90);
    const malformed = await refusal(
      () => new Response(body(), { status: 429, headers: { 'Retry-After': 'Wed, 21 Oct 2026 07:28:00 GMT' } }),
    );
    assert.equal(malformed.retryAfterSeconds, undefined);
    assert.equal(
      errorText(malformed),
      'Too many accounts were created from your network recently. Please try again later.',
    );
  });

  it('says in plain words what each refusal means', () => {
    const text = (code: ApiError['code'], retryAfterSeconds?: number) =>
      errorText(new ApiError(code, 'server text', 403, undefined, retryAfterSeconds));
    assert.equal(text('user-limit-reached'), 'This service is not taking new accounts right now.');
    assert.match(text('signups-paused', 7200), /paused for today\. Please try again in about 2 hours\./);
    assert.match(text('too-many-searches', 30), /Too many number searches.*in a minute\./);
    assert.match(text('too-many-logins', 600), /Too many log-in attempts\. Please try again in 10 minutes\./);
    assert.match(text('signup-code-required'), /invitation code/);
    assert.match(text('number-offer-expired'), /fresh numbers/);
  });

  it('rounds waits the way people say them', () => {
    assert.equal(waitText(5), 'in a minute');
    assert.equal(waitText(61), 'in 2 minutes');
    assert.equal(waitText(89 * 60), 'in 89 minutes');
    assert.equal(waitText(5 * 3600), 'in about 5 hours');
  });
});
