// The cost and fraud limits' settings: described once here (config-settings.ts lists them in CONFIG_SETTINGS, so the
// ARM template test and README see them like every other setting) and read by readLimitSettings.
// Every limit is a whole number; 0 refuses everything it counts (e.g. SIGNUPS_PER_DAY=0 closes sign-up,
// OUTBOUND_MINUTES_PER_HOUR=0 stops every call to a phone number).

export interface LimitSettings {
  readonly signupsPerAddressPerHour: number;
  readonly signupsPerDay: number;
  readonly maxUsers: number;
  /** '' = no invitation code is asked for. */
  readonly signupCode: string;
  readonly numberOfferMinutes: number;
  readonly searchesPerAddressPerHour: number;
  readonly searchCacheSeconds: number;
  readonly healthCacheSeconds: number;
  readonly loginsPerAddressPerHour: number;
  readonly loginsPerUsernamePerHour: number;
  /** Calling rules (routing/, limits/call-limits.ts). */
  readonly dialTollFree: boolean;
  readonly concurrentCallsPerUser: number;
  readonly callsPerUserPerHour: number;
  readonly callMinutesPerUserPerDay: number;
  readonly maxCallSeconds: number;
  readonly outboundMinutesPerHour: number;
}

/** Shaped like config.ts's SettingInfo (not imported: config-settings.ts imports this file). */
interface LimitSettingInfo {
  name: string;
  required: false;
  secret: boolean;
  default: string;
  description: string;
  /** Smallest and largest accepted value of a whole number; undefined for text and true/false settings. */
  range?: readonly [number, number];
  /** A true/false setting. */
  flag?: true;
  key: keyof LimitSettings;
}

const MILLION = 1_000_000;

const SETTINGS: readonly LimitSettingInfo[] = [
  {
    name: 'SIGNUPS_PER_ADDRESS_PER_HOUR',
    key: 'signupsPerAddressPerHour',
    default: '3',
    range: [0, MILLION],
    description: 'Sign-ups (each orders a number) one client address may make per clock hour.',
  },
  {
    name: 'SIGNUPS_PER_DAY',
    key: 'signupsPerDay',
    default: '50',
    range: [0, MILLION],
    description: 'Sign-ups the whole app accepts per UTC day, from all addresses together.',
  },
  {
    name: 'MAX_USERS',
    key: 'maxUsers',
    default: '1000',
    range: [0, 10 * MILLION],
    description: 'Most users (and so numbers held) the app ever signs up; sign-up answers 403 past it.',
  },
  {
    name: 'SIGNUP_CODE',
    key: 'signupCode',
    default: '',
    secret: true,
    description: 'Optional invitation code sign-up requires (empty: none). Give it only to the people you invite.',
  },
  {
    name: 'NUMBER_OFFER_MINUTES',
    key: 'numberOfferMinutes',
    default: '15',
    range: [1, 24 * 60],
    description: 'How long a number from a search stays orderable (its signature expires then).',
  },
  {
    name: 'SEARCHES_PER_ADDRESS_PER_HOUR',
    key: 'searchesPerAddressPerHour',
    default: '60',
    range: [0, MILLION],
    description: 'Number searches one client address may make per clock hour.',
  },
  {
    name: 'SEARCH_CACHE_SECONDS',
    key: 'searchCacheSeconds',
    default: '30',
    range: [0, 3600],
    description: 'How long each instance reuses the answer to the same number search (0: never).',
  },
  {
    name: 'HEALTH_CACHE_SECONDS',
    key: 'healthCacheSeconds',
    default: '5',
    range: [0, 300],
    description: 'How long each instance reuses its last health answer (0: never).',
  },
  {
    name: 'LOGINS_PER_ADDRESS_PER_HOUR',
    key: 'loginsPerAddressPerHour',
    default: '30',
    range: [0, MILLION],
    description: 'Log-in attempts one client address may make per clock hour.',
  },
  {
    name: 'LOGINS_PER_USERNAME_PER_HOUR',
    key: 'loginsPerUsernamePerHour',
    default: '10',
    range: [0, MILLION],
    description: 'Log-in attempts per username per clock hour, from all addresses together.',
  },
  {
    name: 'DIAL_TOLL_FREE',
    key: 'dialTollFree',
    default: 'false',
    flag: true,
    description: 'Whether users may call toll-free numbers (+1 800, 888, …): true or false.',
  },
  {
    name: 'CONCURRENT_CALLS_PER_USER',
    key: 'concurrentCallsPerUser',
    default: '2',
    range: [0, 100],
    description: 'Calls one user may have going at once (calls the user places).',
  },
  {
    name: 'CALLS_PER_USER_PER_HOUR',
    key: 'callsPerUserPerHour',
    default: '20',
    range: [0, 100_000],
    description: 'Calls one user may place per clock hour.',
  },
  {
    name: 'CALL_MINUTES_PER_USER_PER_DAY',
    key: 'callMinutesPerUserPerDay',
    default: '120',
    range: [0, MILLION],
    description: 'Minutes of calls one user may place per UTC day (each call reserves its longest length).',
  },
  {
    name: 'MAX_CALL_SECONDS',
    key: 'maxCallSeconds',
    default: '3600',
    range: [10, 86_400],
    description: 'Longest a call a user places may last once answered; the app ends it then.',
  },
  {
    name: 'OUTBOUND_MINUTES_PER_HOUR',
    key: 'outboundMinutesPerHour',
    default: '600',
    range: [0, 10 * MILLION],
    description:
      'Circuit breaker: past this many minutes of calls to phone numbers in a clock hour, all such calls stop until an operator lifts it.',
  },
].map((s) => ({ required: false, secret: false, ...s }) as LimitSettingInfo);

/** The entries CONFIG_SETTINGS lists for the limits. */
export const LIMIT_SETTINGS = Object.freeze(
  SETTINGS.map(({ name, required, secret, default: fallback, description }) =>
    Object.freeze({ name, required, secret, default: fallback, description }),
  ),
);

/**
 * Reads every limit with config.ts's `read` (value or default) and reports bad ones through `problem`.
 * Returns the settings even when some are bad; config.ts then fails as a whole.
 */
export function readLimitSettings(
  read: (name: string) => string | undefined,
  problem: (setting: string, message: string) => void,
): LimitSettings {
  const values: Record<string, string | number | boolean> = {};
  for (const setting of SETTINGS) {
    const raw = read(setting.name) ?? setting.default;
    if (setting.flag) {
      const value = raw.toLowerCase();
      if (value !== 'true' && value !== 'false') problem(setting.name, 'must be true or false.');
      values[setting.key] = value === 'true';
      continue;
    }
    if (!setting.range) {
      // A short invitation code is guessed in a few thousand tries; sign-up attempts are counted per address only.
      if (raw !== '' && raw.length < 8) problem(setting.name, 'must be empty or at least 8 characters.');
      values[setting.key] = raw;
      continue;
    }
    const [min, max] = setting.range;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || value > max) {
      problem(setting.name, `must be a whole number from ${min} to ${max}.`);
    }
    values[setting.key] = value;
  }
  return Object.freeze(values) as unknown as LimitSettings;
}
