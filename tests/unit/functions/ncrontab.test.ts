// The local host's timer schedules (dev/ncrontab.ts): Azure's six-field NCRONTAB, in UTC.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSchedule } from '../../../dev/ncrontab';

const at = (iso: string) => new Date(iso);
const next = (expression: string, after: string) => parseSchedule(expression).next(at(after)).toISOString();

describe('NCRONTAB schedules', () => {
  it('every 5 minutes on the minute, strictly after the given time', () => {
    assert.equal(next('0 */5 * * * *', '2026-12-05T17:02:31.400Z'), '2026-12-05T17:05:00.000Z');
    assert.equal(next('0 */5 * * * *', '2026-12-05T17:05:00.000Z'), '2026-12-05T17:10:00.000Z');
    assert.equal(next('0 */5 * * * *', '2026-12-31T23:58:00.000Z'), '2027-01-01T00:00:00.000Z');
  });

  it('every second, and every 10 seconds', () => {
    assert.equal(next('* * * * * *', '2026-12-05T17:02:31.400Z'), '2026-12-05T17:02:32.000Z');
    assert.equal(next('*/10 * * * * *', '2026-12-05T17:02:31.000Z'), '2026-12-05T17:02:40.000Z');
  });

  it('lists, ranges and stepped ranges', () => {
    assert.equal(next('0 0 9-17/4 * * *', '2026-12-05T10:00:00Z'), '2026-12-05T13:00:00.000Z');
    assert.equal(next('0 15,45 * * * *', '2026-12-05T10:20:00Z'), '2026-12-05T10:45:00.000Z');
  });

  it('days, months and weekdays (Sunday is 0); both day fields restricted: either matches', () => {
    assert.equal(next('0 30 9 * * 1-5', '2026-12-05T10:00:00Z'), '2026-12-07T09:30:00.000Z'); // Sat → Mon
    assert.equal(next('0 0 0 1 1 *', '2026-12-05T10:00:00Z'), '2027-01-01T00:00:00.000Z');
    assert.equal(next('0 0 0 29 2 *', '2026-12-05T10:00:00Z'), '2028-02-29T00:00:00.000Z');
    assert.equal(next('0 0 0 15 * 0', '2026-12-05T10:00:00Z'), '2026-12-06T00:00:00.000Z'); // Sunday first
  });

  for (const [bad, why] of [
    ['0 */5 * * *', /6 fields/],
    ['60 * * * * *', /second field "60"/],
    ['0 0 24 * * *', /hour field/],
    ['0 0 0 0 * *', /day field/],
    ['0 0 0 * 13 *', /month field/],
    ['0 0 0 * * 7', /day-of-week field/],
    ['*/0 * * * * *', /step/],
    ['0 0 0 * JAN *', /expected/],
    ['0 5-1 * * * *', /minute field/],
  ] as const) {
    it(`refuses "${bad}"`, () => assert.throws(() => parseSchedule(bad), why));
  }

  it('a schedule that matches nothing fails instead of searching forever', () => {
    assert.throws(() => parseSchedule('0 0 0 31 2 *').next(at('2026-12-05T00:00:00Z')), /matches no time/);
  });
});
