// App settings for test stacks whose tests sign up, search and log in many times from 127.0.0.1: the limits
// are settings, so tests raise them like an operator would (no bypass in the product). Tests of the limits
// themselves start their own hosts with the limits they exercise.
export const GENEROUS_LIMITS: Readonly<Record<string, string>> = Object.freeze({
  SIGNUPS_PER_ADDRESS_PER_HOUR: '10000',
  SIGNUPS_PER_DAY: '10000',
  MAX_USERS: '100000',
  SEARCHES_PER_ADDRESS_PER_HOUR: '100000',
  LOGINS_PER_ADDRESS_PER_HOUR: '100000',
  LOGINS_PER_USERNAME_PER_HOUR: '100000',
  // These tests sign up dozens of users in one area code within seconds: a cached search would soon offer
  // only numbers already taken. The cache has its own tests (tests/integration/api/limits-*.test.ts).
  SEARCH_CACHE_SECONDS: '0',
});
