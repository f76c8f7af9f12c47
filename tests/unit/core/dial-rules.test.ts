// Which dialled numbers a user may call: an allow-list of number types (fixed line, mobile, NANP's
// fixed-line-or-mobile; toll-free only when DIAL_TOLL_FREE is on) in the allowed countries. Each type is tried
// in the ways people type numbers, so no spelling slips past the rule.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideRoute } from '../../../core/routing/route-decision';
import { checkDialledNumber, type DialRules } from '../../../core/users/phone-number';

const US_CA: DialRules = { allowedCountries: ['US', 'CA'], allowTollFree: false };

/** The ways a person types +1 NPA NXX XXXX into a dialpad or a softphone. */
function spellings(npa: string, nxx: string, line: string): string[] {
  return [
    `+1${npa}${nxx}${line}`,
    `+1 ${npa} ${nxx} ${line}`,
    `+1 (${npa}) ${nxx}-${line}`,
    `1-${npa}-${nxx}-${line}`,
    `1 ${npa} ${nxx} ${line}`,
    `(${npa}) ${nxx}-${line}`,
    `${npa}-${nxx}-${line}`,
    `${npa}.${nxx}.${line}`,
    `${npa}${nxx}${line}`,
    ` ${npa} ${nxx} ${line} `,
  ];
}

function reasonFor(dialled: string, rules: DialRules = US_CA): string {
  const check = checkDialledNumber(dialled, rules);
  return check.ok ? `ok ${check.e164}` : check.reason;
}

describe('dialled numbers by type', () => {
  const cases: Array<[string, [string, string, string], string]> = [
    // allowed
    ['fixed-line-or-mobile (North Carolina)', ['919', '234', '5678'], 'ok +19192345678'],
    ['fixed-line-or-mobile (Toronto, CA)', ['416', '234', '5678'], 'ok +14162345678'],
    // +1 605 (South Dakota) is a real geographic area: its numbers are fixed lines and mobiles, so the type rule
    // lets them through, and the calling limits (concurrency, calls per hour, minutes per day, the breaker) are
    // what bound inflated-termination traffic to them.
    ['+1 605-style rural area (South Dakota)', ['605', '234', '5678'], 'ok +16052345678'],
    ['+1 712 rural area (Iowa)', ['712', '234', '5678'], 'ok +17122345678'],
    // refused by type
    ['US personal number +1 500', ['500', '234', '5678'], 'number-type-not-allowed'],
    ['US personal number +1 533', ['533', '234', '5678'], 'number-type-not-allowed'],
    ['US personal number +1 544', ['544', '234', '5678'], 'number-type-not-allowed'],
    ['US personal number +1 566', ['566', '234', '5678'], 'number-type-not-allowed'],
    ['US personal number +1 577', ['577', '234', '5678'], 'number-type-not-allowed'],
    ['US personal number +1 588', ['588', '234', '5678'], 'number-type-not-allowed'],
    ['Canadian VoIP +1 600', ['600', '234', '5678'], 'number-type-not-allowed'],
    ['Canadian personal number +1 622', ['622', '234', '5678'], 'number-type-not-allowed'],
    ['toll-free +1 800', ['800', '234', '5678'], 'toll-free-not-allowed'],
    ['toll-free +1 888', ['888', '234', '5678'], 'toll-free-not-allowed'],
    ['toll-free +1 833', ['833', '234', '5678'], 'toll-free-not-allowed'],
    ['premium-rate +1 900', ['900', '234', '5678'], 'premium-rate'],
    // not numbers anyone can reach
    ['unassigned +1 976', ['976', '234', '5678'], 'invalid-number'],
    ['unassigned +1 700', ['700', '234', '5678'], 'invalid-number'],
    // other NANP countries (their own types are fine, the country is not allowed)
    ['Jamaica mobile +1 876', ['876', '234', '5678'], 'blocked-country'],
  ];

  for (const [what, [npa, nxx, line], expected] of cases) {
    it(`${what}: ${expected}, however it is typed`, () => {
      for (const typed of spellings(npa, nxx, line)) assert.equal(reasonFor(typed), expected, typed);
    });
  }

  it('toll-free numbers are callable when DIAL_TOLL_FREE is on; the other refused types stay refused', () => {
    const withTollFree = { ...US_CA, allowTollFree: true };
    for (const typed of spellings('800', '234', '5678'))
      assert.equal(reasonFor(typed, withTollFree), 'ok +18002345678');
    assert.equal(reasonFor('1-888-234-5678', withTollFree), 'ok +18882345678');
    assert.equal(reasonFor('+1 500 234 5678', withTollFree), 'number-type-not-allowed');
    assert.equal(reasonFor('+1 900 234 5678', withTollFree), 'premium-rate');
  });

  it('outside North America: mobile and fixed lines of allowed countries only', () => {
    const withGb = { ...US_CA, allowedCountries: ['US', 'CA', 'GB'] };
    assert.equal(reasonFor('+44 20 7946 0958', withGb), 'ok +442079460958'); // London fixed line
    assert.equal(reasonFor('+44 7400 123456', withGb), 'ok +447400123456'); // UK mobile
    assert.equal(reasonFor('+44 20 7946 0958'), 'blocked-country');
    assert.equal(reasonFor('+44 909 876 5432', withGb), 'premium-rate'); // UK premium rate
    assert.equal(reasonFor('+44 70 1234 5678', withGb), 'number-type-not-allowed'); // UK personal number
    assert.equal(reasonFor('+44 843 123 4567', withGb), 'premium-rate'); // UK shared cost
    assert.equal(reasonFor('+44 56 1234 5678', withGb), 'number-type-not-allowed'); // UK VoIP
  });

  it('the routing decision refuses by type and records the reason for the caller', () => {
    const alice = { username: 'alice', number: '+19195550100' };
    for (const [to, reason] of [
      ['(500) 234-5678', 'number-type-not-allowed'],
      ['1-600-234-5678', 'number-type-not-allowed'],
      ['800.234.5678', 'toll-free-not-allowed'],
    ] as const) {
      const decision = decideRoute({ from: 'sip:alice@x', to, callingUser: alice, allowedCountries: ['US', 'CA'] });
      assert.deepEqual(decision, {
        action: 'refuse',
        reason,
        history: [{ username: 'alice', direction: 'outbound', peer: to }],
      });
    }
    const tollFree = decideRoute({
      from: 'sip:alice@x',
      to: '800.234.5678',
      callingUser: alice,
      allowedCountries: ['US'],
      allowTollFree: true,
    });
    assert.equal(tollFree.action, 'dial');
    const rural = decideRoute({
      from: 'sip:alice@x',
      to: '605-234-5678',
      callingUser: alice,
      allowedCountries: ['US'],
    });
    assert.equal(rural.action === 'dial' && rural.number, '+16052345678');
  });
});
