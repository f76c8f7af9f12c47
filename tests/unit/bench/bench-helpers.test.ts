// The benchmark's own arithmetic: nearest-rank percentiles, ratios, the sign-up critical path and
// the table's verdicts. Benchmarks are not gated on, but a wrong percentile would mislead quietly.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { criticalPathLength } from '../../../bench/sign-up';
import { median, percentile, ratio, summarize } from '../../../bench/stats';
import { renderTable } from '../../../bench/table';

describe('bench stats', () => {
  it('takes nearest-rank percentiles of unsorted samples', () => {
    const values = [5, 1, 4, 2, 3];
    assert.equal(percentile(values, 50), 3);
    assert.equal(percentile(values, 99), 5);
    assert.equal(percentile(values, 0), 1);
    assert.equal(median([4, 1, 3, 2]), 2);
    assert.ok(Number.isNaN(percentile([], 50)));
    const hundred = Array.from({ length: 100 }, (_, i) => 100 - i);
    assert.equal(percentile(hundred, 99), 99);
    assert.deepEqual(values, [5, 1, 4, 2, 3], 'the input is not sorted in place');
  });

  it('summarizes and divides by the floor, refusing a missing or zero floor', () => {
    const summary = summarize([10, 20, 30]);
    assert.deepEqual([summary.count, summary.min, summary.p50, summary.max, summary.mean], [3, 10, 20, 30, 20]);
    assert.equal(ratio(15, 10), 1.5);
    assert.equal(ratio(1, 3), 0.33);
    assert.ok(Number.isNaN(ratio(5, 0)));
    assert.ok(Number.isNaN(ratio(Number.NaN, 2)));
  });
});

describe('sign-up critical path', () => {
  it('counts requests that ran one after another, not the ones that overlapped', () => {
    const sequential = [
      { arrivedAt: 0, answeredAt: 10 },
      { arrivedAt: 11, answeredAt: 20 },
      { arrivedAt: 21, answeredAt: 30 },
    ];
    assert.equal(criticalPathLength(sequential), 3);
    const twoInParallel = [
      { arrivedAt: 0, answeredAt: 10 },
      { arrivedAt: 11, answeredAt: 20 },
      { arrivedAt: 12, answeredAt: 19 },
      { arrivedAt: 21, answeredAt: 30 },
    ];
    assert.equal(criticalPathLength(twoInParallel), 3);
    assert.equal(criticalPathLength([]), 0);
  });
});

describe('bench table', () => {
  it('shows each figure beside its floor with the ratio and a verdict', () => {
    const table = renderTable([
      {
        id: '1',
        title: 'routing p99',
        unit: 'ms',
        measured: 30,
        floor: 10,
        floorLabel: 'bare',
        ratio: 3,
        goal: '≤ 1.5× floor',
        met: false,
      },
      {
        id: '3',
        title: 'weight',
        unit: 'KB gz',
        measured: 70,
        floor: 55,
        floorLabel: 'JsSIP',
        ratio: 1.27,
        goal: 'adds ≤ 25 KB',
        met: true,
      },
      { id: '4', title: 'browser', unit: '', floorLabel: '', goal: '≤ 300 ms', note: 'not measured: no root' },
    ]);
    const [header, , missed, met, notMeasured] = table.split('\n');
    assert.match(header!, /^figure\s+\| measured\s+\| floor/);
    assert.match(missed!, /^routing p99\s*\| 30 ms\s*\| 10 ms\s*\| 3×\s*\| ≤ 1\.5× floor\s*\| MISSED/);
    assert.match(met!, /^weight\s*\| 70 KB gz\s*\| 55 KB gz\s*\| 1\.27×\s*\| adds ≤ 25 KB\s*\| met /);
    assert.match(notMeasured!, /NOT MEASURED .*not measured: no root/);
  });
});
