import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { displayPeer, formatPhoneNumber, normalizeDialInput } from '../../../web/src/phone-number';

describe('normalizeDialInput', () => {
  const cases: Array<[string, string]> = [
    ['(919) 555-0100', '+19195550100'],
    ['919.555.0100', '+19195550100'],
    ['919 555 0100', '+19195550100'],
    ['9195550100', '+19195550100'],
    ['1 919 555 0100', '+19195550100'],
    ['1-919-555-0100', '+19195550100'],
    ['+1 (919) 555-0100', '+19195550100'],
    ['  +44 20 7946 0958 ', '+442079460958'],
    ['911', '911'],
  ];
  for (const [input, expected] of cases) {
    it(`turns "${input}" into ${expected}`, () => {
      assert.deepEqual(normalizeDialInput(input), { ok: true, target: expected });
    });
  }

  it('rejects empty input with a message', () => {
    const result = normalizeDialInput('   ');
    assert.equal(result.ok, false);
    assert.match((result as { message: string }).message, /Enter a phone number/);
  });

  for (const input of [
    '919-555-O100',
    'sip:alice@example.com',
    '+',
    '++19195550100',
    '12',
    '1234567890123456',
    '+1234',
  ]) {
    it(`rejects "${input}"`, () => {
      assert.equal(normalizeDialInput(input).ok, false);
    });
  }
});

describe('formatting', () => {
  it('formats NANP E.164 numbers nationally and leaves others alone', () => {
    assert.equal(formatPhoneNumber('+19195550100'), '(919) 555-0100');
    assert.equal(formatPhoneNumber('+442079460958'), '+442079460958');
  });

  it('shows the user part of SIP URIs', () => {
    assert.equal(displayPeer('sip:+19195550100@example.bwapp.bwsip.io'), '(919) 555-0100');
    assert.equal(displayPeer('sip:alice@example.bwapp.bwsip.io;transport=ws'), 'alice');
    assert.equal(displayPeer('+19195550101'), '(919) 555-0101');
  });
});
