import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CatapultError } from '../../../core/catapult/catapult-error';
import { AppError } from '../../../core/errors';
import { isTransientCatapultError, mapCatapultError } from '../../../core/providers/catapult/map-error';

const err = (status: number, code: string, category = 'x') =>
  new CatapultError({ status, code, category, message: 'm', method: 'GET', path: '/p' });

test('Catapult failures map to stable app codes in one place', () => {
  const cases: Array<[CatapultError, string, number]> = [
    [err(429, 'rate-limit-reached', 'too-many-requests'), 'provider-rate-limited', 503],
    [err(403, 'call-rate-limit', 'limit'), 'provider-rate-limited', 503],
    [err(500, 'internal', 'unavailable'), 'provider-unavailable', 503],
    [err(503, 'x'), 'provider-unavailable', 503],
    [err(0, 'timeout', 'timeout'), 'provider-unavailable', 503],
    [err(0, 'network', 'network'), 'provider-unavailable', 503],
    [err(400, 'validation-error'), 'provider-rejected', 502],
    [err(401, 'user-access-denied'), 'provider-rejected', 502],
    [err(404, 'number-not-found'), 'provider-rejected', 502],
  ];
  for (const [error, code, status] of cases) {
    const mapped = mapCatapultError(error, 'thing');
    assert.ok(mapped instanceof AppError, error.code);
    assert.equal(mapped.code, code, `${error.status} ${error.code}`);
    assert.equal(mapped.status, status);
    assert.equal(mapped.cause, error);
  }
  assert.ok(isTransientCatapultError(err(502, 'x')));
  assert.ok(!isTransientCatapultError(err(404, 'x')));
});

test('non-Catapult errors pass through untouched', () => {
  const app = new AppError('storage-unavailable', 'x');
  assert.equal(mapCatapultError(app), app);
  const plain = new TypeError('boom');
  assert.equal(mapCatapultError(plain), plain);
});
