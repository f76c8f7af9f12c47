import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatNationalNumber, generateInventory, NumberInventory } from '../../../sandbox/model/inventory';
import { RATE_CENTERS } from '../../../sandbox/model/rate-centers';

describe('number inventory', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    assert.deepEqual(generateInventory('a'), generateInventory('a'));
    assert.notDeepEqual(
      generateInventory('a').map((n) => n.number),
      generateInventory('b').map((n) => n.number),
    );
  });

  it('has 10+ area codes in several states, each with 50+ valid NANP numbers and full location data', () => {
    const inventory = generateInventory();
    const local = inventory.filter((n) => !n.tollFree);
    const byAreaCode = new Map<string, number>();
    for (const n of local) {
      assert.match(n.number, /^\+1[2-9]\d{2}[2-9]\d{6}$/);
      assert.equal(n.nationalNumber, formatNationalNumber(n.number));
      assert.ok(n.city && n.state && n.rateCenter && n.lata && n.zip, n.number);
      byAreaCode.set(n.areaCode, (byAreaCode.get(n.areaCode) ?? 0) + 1);
    }
    assert.ok(byAreaCode.size >= 10);
    for (const [areaCode, count] of byAreaCode) assert.ok(count >= 50, `${areaCode}: ${count}`);
    assert.ok(new Set(local.map((n) => n.state)).size >= 8);
    assert.equal(new Set(inventory.map((n) => n.number)).size, inventory.length, 'no duplicates');
  });

  it('never uses exchange 555 or N11, so +1NPA555xxxx is always an outside phone', () => {
    for (const n of generateInventory('any seed')) {
      const exchange = n.number.slice(5, 8);
      assert.notEqual(exchange, '555');
      assert.ok(!exchange.endsWith('11'), n.number);
    }
    for (const center of RATE_CENTERS) for (const exchange of center.exchanges) assert.match(exchange, /^[2-9]\d\d$/);
  });

  it('each number ZIP belongs to its rate center', () => {
    for (const n of generateInventory().filter((x) => !x.tollFree)) {
      const center = RATE_CENTERS.find((c) => c.areaCode === n.areaCode && c.rateCenter === n.rateCenter)!;
      assert.ok(center.zips.includes(n.zip!));
    }
  });

  it('take() removes a number for good', () => {
    const inventory = new NumberInventory('take');
    const first = inventory.list()[0]!;
    assert.equal(inventory.take(first.number)?.number, first.number);
    assert.equal(inventory.take(first.number), undefined);
    assert.equal(inventory.get(first.number), undefined);
    assert.ok(!inventory.list().some((n) => n.number === first.number));
  });
});
