// The limits are settings like any other: listed in CONFIG_SETTINGS with safe defaults, validated with the
// rest (each bad one named), and the invitation code is a secret that is never echoed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CONFIG_SETTINGS, describeConfigProblems, loadConfig } from '../../../../core/config';
import { LIMIT_SETTINGS } from '../../../../core/limits/limit-settings';
import { TEST_ENV } from '../support/test-config';

describe('limit settings', () => {
  it('are all in CONFIG_SETTINGS, optional, with the documented safe defaults', () => {
    for (const setting of LIMIT_SETTINGS) {
      assert.ok(
        CONFIG_SETTINGS.some((s) => s.name === setting.name),
        setting.name,
      );
      assert.equal(setting.required, false);
    }
    const result = loadConfig(TEST_ENV);
    assert.ok(result.ok);
    assert.deepEqual(result.config.limits, {
      signupsPerAddressPerHour: 3,
      signupsPerDay: 50,
      maxUsers: 1000,
      signupCode: '',
      numberOfferMinutes: 15,
      searchesPerAddressPerHour: 60,
      searchCacheSeconds: 30,
      healthCacheSeconds: 5,
      loginsPerAddressPerHour: 30,
      loginsPerUsernamePerHour: 10,
      dialTollFree: false,
      concurrentCallsPerUser: 2,
      callsPerUserPerHour: 20,
      callMinutesPerUserPerDay: 120,
      maxCallSeconds: 3600,
      outboundMinutesPerHour: 600,
    });
  });

  it('take the operator’s values, 0 included (it closes what it counts)', () => {
    const result = loadConfig({
      ...TEST_ENV,
      SIGNUPS_PER_DAY: '0',
      MAX_USERS: '25',
      SIGNUP_CODE: 'long-enough-code',
      DIAL_TOLL_FREE: 'True', // what ARM's string() makes of a bool parameter
      OUTBOUND_MINUTES_PER_HOUR: '0',
    });
    assert.ok(result.ok);
    assert.equal(result.config.limits.dialTollFree, true);
    assert.equal(result.config.limits.outboundMinutesPerHour, 0);
    assert.equal(result.config.limits.signupsPerDay, 0);
    assert.equal(result.config.limits.maxUsers, 25);
    assert.equal(result.config.limits.signupCode, 'long-enough-code');
  });

  it('name each bad value, and never echo the invitation code', () => {
    const result = loadConfig({
      ...TEST_ENV,
      SIGNUPS_PER_ADDRESS_PER_HOUR: '-1',
      SEARCH_CACHE_SECONDS: '1.5',
      NUMBER_OFFER_MINUTES: '0',
      LOGINS_PER_USERNAME_PER_HOUR: 'many',
      SIGNUP_CODE: 'abc123',
      DIAL_TOLL_FREE: 'yes',
      MAX_CALL_SECONDS: '5',
    });
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.deepEqual(result.problems.map((p) => p.setting).sort(), [
      'DIAL_TOLL_FREE',
      'LOGINS_PER_USERNAME_PER_HOUR',
      'MAX_CALL_SECONDS',
      'NUMBER_OFFER_MINUTES',
      'SEARCH_CACHE_SECONDS',
      'SIGNUPS_PER_ADDRESS_PER_HOUR',
      'SIGNUP_CODE',
    ]);
    assert.doesNotMatch(describeConfigProblems(result.problems), /abc123/);
  });
});
