import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileNumberPattern, formattedIndex } from '../../../sandbox/model/number-pattern';

describe('available-number pattern', () => {
  it('? is exactly one digit and * any run of digits, over the whole national number', () => {
    const p = compileNumberPattern('*2?9*');
    assert.notEqual(p.match('9195552091'), undefined);
    assert.equal(p.match('9195551111'), undefined);
    assert.equal(compileNumberPattern('919???????').match('9195551212') !== undefined, true);
    assert.equal(compileNumberPattern('919??????').match('9195551212'), undefined, 'too few ? for 10 digits');
    assert.notEqual(compileNumberPattern('*').match('9195551212'), undefined);
    assert.notEqual(compileNumberPattern('*1212').match('9195551212'), undefined);
    assert.equal(compileNumberPattern('*1213').match('9195551212'), undefined);
  });

  it('reads letters as keypad digits, case-insensitively', () => {
    assert.notEqual(compileNumberPattern('*CALL').match('9195552255'), undefined);
    assert.notEqual(compileNumberPattern('*call').match('9195552255'), undefined);
    assert.equal(compileNumberPattern('*CALL').match('9195552256'), undefined);
  });

  it('returns patternMatch aligned with "(919) 555-1212"', () => {
    assert.equal(compileNumberPattern('*2?9*').match('9195552091'), '          2 9 ');
    assert.equal(compileNumberPattern('919*').match('9195551212'), ' 919          ');
    assert.equal(compileNumberPattern('*CALL').match('9195552255'), '          CALL');
  });

  it('maps national digit positions to the formatted number', () => {
    const formatted = '(919) 555-1212';
    const digits = '9195551212';
    for (let i = 0; i < 10; i += 1) assert.equal(formatted[formattedIndex(i)], digits[i]);
  });

  it('rejects anything but letters, digits, ? and *', () => {
    for (const bad of ['', '9+1', '919-555', '%', 'a'.repeat(21)])
      assert.throws(() => compileNumberPattern(bad), Error, bad);
  });
});
