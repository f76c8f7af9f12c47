// Search signatures: a signature holds for its number until it expires, under this APP_SECRET only.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deriveKeys } from '../../../../core/crypto/derive-keys';
import { NumberOffers } from '../../../../core/limits/number-offers';

const key = deriveKeys('an-app-secret-that-is-long-enough-0123456789').numberOfferKey;
const otherKey = deriveKeys('another-app-secret-that-is-long-enough-987654').numberOfferKey;
const T0 = Date.parse('2026-11-26T10:00:00Z');
const number = { number: '+19195551001', nationalNumber: '(919) 555-1001', city: 'CARY', state: 'NC' };

function offersAt(clock: { now: number }, k = key) {
  return new NumberOffers(k, 15 * 60_000, () => clock.now);
}

describe('NumberOffers', () => {
  it('signs each result with its expiry, and the signature holds until then', () => {
    const clock = { now: T0 };
    const offers = offersAt(clock);
    const [offered] = offers.sign([number]);
    assert.equal(offered!.signatureExpiresAt, '2026-11-26T10:15:00.000Z');
    assert.equal(offered!.number, number.number);
    assert.equal(offers.check(number.number, offered!.signature), 'ok');
    clock.now = T0 + 15 * 60_000 - 1;
    assert.equal(offers.check(number.number, offered!.signature), 'ok');
    clock.now = T0 + 15 * 60_000;
    assert.equal(offers.check(number.number, offered!.signature), 'expired');
  });

  it('holds for its own number only, under its own key only', () => {
    const clock = { now: T0 };
    const [offered] = offersAt(clock).sign([number]);
    assert.equal(offersAt(clock).check('+19195551002', offered!.signature), 'invalid');
    assert.equal(offersAt(clock).check('+18005551212', offered!.signature), 'invalid');
    assert.equal(offersAt(clock, otherKey).check(number.number, offered!.signature), 'invalid');
  });

  it('cannot be stretched: a later expiry with the same MAC is invalid', () => {
    const clock = { now: T0 };
    const [offered] = offersAt(clock).sign([number]);
    const [expiry, mac] = offered!.signature.split('.') as [string, string];
    const later = (parseInt(expiry, 36) + 86_400).toString(36);
    assert.equal(offersAt(clock).check(number.number, `${later}.${mac}`), 'invalid');
  });

  for (const garbage of ['', 'abc', 'x.y', '1.AAAAAAAAAAAAAAAAAAAAAA', 'zzzzzzzzzzz.AAAAAAAAAAAAAAAAAAAAAA']) {
    it(`refuses ${JSON.stringify(garbage)}`, () => {
      const check = offersAt({ now: T0 }).check(number.number, garbage);
      assert.ok(check === 'missing' || check === 'invalid', check);
    });
  }

  it('throws number-not-offered or number-offer-expired from require()', () => {
    const clock = { now: T0 };
    const offers = offersAt(clock);
    const [offered] = offers.sign([number]);
    assert.throws(() => offers.require(number.number, undefined), { code: 'number-not-offered' });
    assert.throws(() => offers.require('+19195551002', offered!.signature), { code: 'number-not-offered' });
    offers.require(number.number, offered!.signature);
    clock.now += 16 * 60_000;
    assert.throws(() => offers.require(number.number, offered!.signature), { code: 'number-offer-expired' });
  });
});
