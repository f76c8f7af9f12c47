// The app's limits (sign-up quotas, search and calling limits) as an operator would set them for the bench's load:
// every figure signs up its users from 127.0.0.1 and places calls back to back, which the defaults would refuse
// (3 sign-ups an hour from one address, 20 calls per user an hour) and so measure the limits instead of the app.
export const BENCH_LIMITS: Readonly<Record<string, string>> = {
  SIGNUPS_PER_ADDRESS_PER_HOUR: '100000',
  SIGNUPS_PER_DAY: '100000',
  SEARCHES_PER_ADDRESS_PER_HOUR: '100000',
  // Every line needs a number of its own: a cached search would offer the previous line's again.
  SEARCH_CACHE_SECONDS: '0',
  CONCURRENT_CALLS_PER_USER: '100',
  CALLS_PER_USER_PER_HOUR: '100000',
  CALL_MINUTES_PER_USER_PER_DAY: '1000000',
  OUTBOUND_MINUTES_PER_HOUR: '10000000',
};
