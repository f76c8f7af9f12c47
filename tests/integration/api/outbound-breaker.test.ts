// The operator's outbound-minutes breaker over HTTP, on real Table Storage (Azurite): read and lifted only with a
// function key; a tripped breaker (its row as call-limits.ts writes it when the hour's minutes are used) is
// reported open and lifted, and the hour's count starts over.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OUTBOUND_PARTITION, OUTBOUND_ROW } from '../../../core/limits/call-limits';
import { createAzureEntityTable } from '../../../core/storage/azure-entity-table';
import { callApi } from '../../support/api-client';
import { useStack } from '../../support/stack-fixture';

const fixture = useStack({ env: { OUTBOUND_MINUTES_PER_HOUR: '5' } });
/** `key` null: no key at all. */
const operator = (method: 'GET' | 'POST', path: string, key: string | null = fixture.stack.functionKey) =>
  callApi(fixture.stack.apiUrl, method, path, key === null ? {} : { headers: { 'x-functions-key': key } });

describe('outbound-minutes breaker (operator functions)', () => {
  it('refuses anyone without the function key', async () => {
    assert.equal((await operator('GET', '/api/ops/outbound-breaker', null)).status, 401);
    assert.equal((await operator('POST', '/api/ops/outbound-breaker/lift', 'x'.repeat(32))).status, 401);
  });

  it('reports a tripped breaker open, lifts it, and the count starts over', async () => {
    const closed = await operator('GET', '/api/ops/outbound-breaker');
    assert.equal(closed.status, 200, JSON.stringify(closed.json));
    assert.deepEqual(closed.json, { open: false, minutesThisHour: 0, limitMinutesPerHour: 5 });

    const now = Date.now();
    const trippedAt = new Date(now).toISOString();
    const limits = createAzureEntityTable({
      connectionString: fixture.stack.storageConnectionString,
      tableName: 'vraLimits',
    });
    await limits.create({
      partitionKey: OUTBOUND_PARTITION,
      rowKey: OUTBOUND_ROW,
      windowStart: now - (now % 3_600_000),
      seconds: 5 * 60 + 42,
      trippedAt,
    });
    const open = await operator('GET', '/api/ops/outbound-breaker');
    assert.deepEqual(open.json, {
      open: true,
      reason: 'tripped',
      trippedAt,
      minutesThisHour: 5,
      limitMinutesPerHour: 5,
    });

    const lifted = await operator('POST', '/api/ops/outbound-breaker/lift');
    assert.equal(lifted.status, 200, JSON.stringify(lifted.json));
    assert.deepEqual(lifted.json, { open: false, minutesThisHour: 0, limitMinutesPerHour: 5, lifted: true });
    assert.equal((await operator('GET', '/api/ops/outbound-breaker')).json.open, false);
    const again = await operator('POST', '/api/ops/outbound-breaker/lift');
    assert.equal(again.json.lifted, false, 'nothing to lift');
  });
});
