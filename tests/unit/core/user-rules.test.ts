import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isAppError } from '../../../core/errors';
import { getCountries } from 'libphonenumber-js/max';
import {
  checkDialledNumber,
  DIAL_COUNTRIES,
  formatNational,
  isDialCountry,
  requireE164,
  toE164,
} from '../../../core/users/phone-number';
import { normalizeUsername } from '../../../core/users/username';

const invalidUsername = (input: unknown, message: RegExp) =>
  assert.throws(
    () => normalizeUsername(input),
    (e) => isAppError(e) && e.code === 'invalid-username' && e.field === 'username' && message.test(e.message),
  );

test('usernames are trimmed and lowercased', () => {
  assert.equal(normalizeUsername('  Alice.Smith_1 '), 'alice.smith_1');
  assert.equal(normalizeUsername('a-b'), 'a-b');
  assert.equal(normalizeUsername('x'.repeat(32)), 'x'.repeat(32));
});

test('bad usernames get a message saying what is wrong', () => {
  invalidUsername(undefined, /required/);
  invalidUsername(42, /required/);
  invalidUsername('ab', /3 to 32/);
  invalidUsername('x'.repeat(33), /3 to 32/);
  invalidUsername('al ice', /only letters/);
  invalidUsername('al#ice', /only letters/);
  invalidUsername('ali/ce', /only letters/);
  invalidUsername('.alice', /start and end/);
  invalidUsername('alice-', /start and end/);
  invalidUsername('ålice', /only letters/);
});

test('sign-up numbers must be E.164', () => {
  assert.equal(requireE164(' +19195551212 '), '+19195551212');
  for (const bad of ['9195551212', '+0123', 'tel:+19195551212', undefined, '+1919555121212345']) {
    assert.throws(
      () => requireE164(bad),
      (e) => isAppError(e) && e.code === 'invalid-number' && e.field === 'number',
    );
  }
});

const US_CA = { allowedCountries: ['US', 'CA'], allowTollFree: false };

test('dialled numbers are normalised from any reasonable format', () => {
  for (const dialled of ['9195551212', '(919) 555-1212', '1-919-555-1212', '+1 919 555 1212', '919.555.1212']) {
    assert.deepEqual(checkDialledNumber(dialled, US_CA), { ok: true, e164: '+19195551212', country: 'US' });
  }
  assert.equal(toE164('919-555-1212'), '+19195551212');
  assert.equal(toE164('alice'), undefined);
});

test('toll-fraud rules: invalid, premium-rate and disallowed countries are refused', () => {
  assert.deepEqual(checkDialledNumber('12345', US_CA), { ok: false, reason: 'invalid-number' });
  assert.deepEqual(checkDialledNumber('+19002001234', US_CA), { ok: false, reason: 'premium-rate' });
  assert.deepEqual(checkDialledNumber('+442079460000', US_CA), { ok: false, reason: 'blocked-country' });
  assert.equal(checkDialledNumber('+442079460000', { ...US_CA, allowedCountries: ['GB'] }).ok, true);
  assert.equal(checkDialledNumber('+14165550123', US_CA).ok, true); // Toronto
});

test('national formatting for display', () => {
  assert.equal(formatNational('+19195551212'), '(919) 555-1212');
});

// The list lets config validation run without loading the phone-number metadata (cold start); it must
// name exactly the regions the metadata knows, or an allowed country could never match a dialled number.
test("the dial-country list is the phone-number metadata's region list", () => {
  assert.deepEqual([...DIAL_COUNTRIES].sort(), [...getCountries()].sort());
  assert.equal(isDialCountry('GB'), true);
  assert.equal(isDialCountry('XX'), false);
});
