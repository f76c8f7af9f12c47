import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tokenRefreshDelay } from '../../../web/src/phone/token-refresh';

const NOW = Date.parse('2026-11-26T10:00:00Z');
const inMs = (ms: number) => new Date(NOW + ms).toISOString();

describe('tokenRefreshDelay', () => {
  it('refreshes a one-hour token a minute before it expires', () => {
    assert.equal(tokenRefreshDelay(inMs(3_600_000), NOW), 3_540_000);
  });
  it('refreshes a short-lived token with a fifth of its life left', () => {
    assert.equal(tokenRefreshDelay(inMs(100_000), NOW), 80_000);
    assert.equal(tokenRefreshDelay(inMs(60_000), NOW), 48_000);
    assert.equal(tokenRefreshDelay(inMs(5_000), NOW), 5_000);
  });
  it('never schedules sooner than 5 s, even for expired or unparsable expiries', () => {
    assert.equal(tokenRefreshDelay(inMs(-10_000), NOW), 5_000);
    assert.equal(tokenRefreshDelay('not a date', NOW), 5_000);
  });
});
