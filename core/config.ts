// The app's settings: validated once, all problems reported together, never echoing secret values.
// CONFIG_SETTINGS is the single description of every setting; the ARM template test and README derive from it.
import { LIMIT_SETTINGS, readLimitSettings, type LimitSettings } from './limits/limit-settings';
import { isDialCountry } from './users/phone-number';

export interface AppConfig {
  readonly catapultUserId: string;
  readonly catapultApiToken: string;
  readonly catapultApiSecret: string;
  /** The desired domain name; bootstrap appends a random suffix (see DOMAIN_SUFFIX_LENGTH). */
  readonly catapultDomainName: string;
  readonly catapultApiUrl: string; // no trailing slash
  readonly catapultSipWebsocketUrl: string;
  readonly publicBaseUrl: string; // no trailing slash
  readonly storageConnectionString: string;
  readonly appSecret: string;
  readonly allowedDialCountries: readonly string[]; // ISO 3166-1 alpha-2, upper case
  readonly appName: string;
  readonly sessionTtlHours: number;
  /** Cost and fraud limits (core/limits/, docs/security.md "Cost and fraud"). */
  readonly limits: LimitSettings;
}

export interface SettingInfo {
  name: string;
  required: boolean;
  secret: boolean;
  description: string;
  default?: string;
}

export interface ConfigProblem {
  setting: string;
  message: string;
}

export type ConfigResult = { ok: true; config: AppConfig } | { ok: false; problems: ConfigProblem[] };

/** Bootstrap appends "-" and this many random characters to the domain name and the application name. */
export const DOMAIN_SUFFIX_LENGTH = 8;
const MAX_DOMAIN_NAME = 63 - 1 - DOMAIN_SUFFIX_LENGTH;
const MIN_APP_SECRET = 32;

export const CONFIG_SETTINGS: readonly SettingInfo[] = Object.freeze(
  [
    {
      name: 'CATAPULT_USER_ID',
      required: true,
      secret: false,
      description: 'Catapult user id (u-…), the path segment of every user-scoped API call.',
    },
    { name: 'CATAPULT_API_TOKEN', required: true, secret: true, description: 'Catapult API token (HTTP Basic user).' },
    {
      name: 'CATAPULT_API_SECRET',
      required: true,
      secret: true,
      description: 'Catapult API secret (HTTP Basic password).',
    },
    {
      name: 'CATAPULT_DOMAIN_NAME',
      required: true,
      secret: false,
      description: `Desired SIP domain name: lowercase letters, digits and "-", starting with a letter, at most ${MAX_DOMAIN_NAME} characters; a random suffix is appended.`,
    },
    {
      name: 'CATAPULT_API_URL',
      required: false,
      secret: false,
      default: 'https://api.catapult.inetwork.com/v1',
      description: 'Catapult v1 REST base URL (point it at the sandbox locally).',
    },
    {
      name: 'CATAPULT_SIP_WEBSOCKET_URL',
      required: false,
      secret: false,
      default: 'wss://webrtc.registration.bandwidth.com:10443',
      description: 'SIP-over-WebSocket server the dialpad registers with.',
    },
    {
      name: 'PUBLIC_BASE_URL',
      required: true,
      secret: false,
      description:
        'Public https base URL of this Function App; Catapult posts call events to <PUBLIC_BASE_URL>/api/catapult/events.',
    },
    {
      name: 'AzureWebJobsStorage',
      required: true,
      secret: true,
      description: 'Storage account connection string (Table Storage); UseDevelopmentStorage=true for Azurite.',
    },
    {
      name: 'APP_SECRET',
      required: true,
      secret: true,
      description: `At least ${MIN_APP_SECRET} random characters; session, SIP-password and webhook keys are derived from it.`,
    },
    {
      name: 'ALLOWED_DIAL_COUNTRIES',
      required: false,
      secret: false,
      default: 'US,CA',
      description: 'Comma-separated ISO country codes users may call.',
    },
    {
      name: 'APP_NAME',
      required: false,
      secret: false,
      default: 'voice-reference-app',
      description: 'Prefix of the Catapult application name (lowercase letters, digits, "-").',
    },
    {
      name: 'SESSION_TTL_HOURS',
      required: false,
      secret: false,
      default: '720',
      description: 'Lifetime of a log-in session token, in hours (1–8760).',
    },
    ...LIMIT_SETTINGS,
  ].map((s) => Object.freeze(s)),
);

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env): ConfigResult {
  const problems: ConfigProblem[] = [];
  const read = (name: string): string | undefined => {
    const info = CONFIG_SETTINGS.find((s) => s.name === name)!;
    const raw = env[name]?.trim();
    if (raw) return raw;
    if (info.default !== undefined) return info.default;
    problems.push({ setting: name, message: `${name} is required: ${info.description}` });
    return undefined;
  };
  const problem = (setting: string, message: string) => problems.push({ setting, message: `${setting} ${message}` });

  const catapultUserId = read('CATAPULT_USER_ID');
  if (catapultUserId !== undefined && !/^u-[A-Za-z0-9]+$/.test(catapultUserId))
    problem('CATAPULT_USER_ID', 'must look like u-xxxxxxxx.');
  const catapultApiToken = read('CATAPULT_API_TOKEN');
  if (catapultApiToken !== undefined && /[\s:]/.test(catapultApiToken))
    problem('CATAPULT_API_TOKEN', 'must not contain spaces or ":".');
  const catapultApiSecret = read('CATAPULT_API_SECRET');
  if (catapultApiSecret !== undefined && /\s/.test(catapultApiSecret))
    problem('CATAPULT_API_SECRET', 'must not contain spaces.');

  const catapultDomainName = read('CATAPULT_DOMAIN_NAME');
  if (catapultDomainName !== undefined) {
    if (!/^[a-z]([a-z0-9-]*[a-z0-9])?$/.test(catapultDomainName)) {
      problem(
        'CATAPULT_DOMAIN_NAME',
        'must be lowercase letters, digits and "-", start with a letter and not end with "-".',
      );
    } else if (catapultDomainName.length > MAX_DOMAIN_NAME) {
      problem(
        'CATAPULT_DOMAIN_NAME',
        `must be at most ${MAX_DOMAIN_NAME} characters (a ${DOMAIN_SUFFIX_LENGTH + 1}-character suffix is appended).`,
      );
    }
  }

  const catapultApiUrl = checkUrl(read('CATAPULT_API_URL'), 'CATAPULT_API_URL', ['https:', 'http:'], problem);
  const catapultSipWebsocketUrl = checkUrl(
    read('CATAPULT_SIP_WEBSOCKET_URL'),
    'CATAPULT_SIP_WEBSOCKET_URL',
    ['wss:', 'ws:'],
    problem,
  );
  const publicBaseUrl = checkUrl(read('PUBLIC_BASE_URL'), 'PUBLIC_BASE_URL', ['https:', 'http:'], problem);

  const storageConnectionString = read('AzureWebJobsStorage');
  if (storageConnectionString !== undefined && !isStorageConnectionString(storageConnectionString)) {
    problem(
      'AzureWebJobsStorage',
      'must be UseDevelopmentStorage=true or a connection string with AccountName and AccountKey (or a SAS) and a table endpoint.',
    );
  }

  const appSecret = read('APP_SECRET');
  if (appSecret !== undefined && appSecret.length < MIN_APP_SECRET)
    problem('APP_SECRET', `must be at least ${MIN_APP_SECRET} characters.`);

  const countriesRaw = read('ALLOWED_DIAL_COUNTRIES');
  const allowedDialCountries = (countriesRaw ?? '')
    .split(',')
    .map((c) => c.trim().toUpperCase())
    .filter(Boolean);
  if (countriesRaw !== undefined) {
    const bad = allowedDialCountries.filter((c) => !/^[A-Z]{2}$/.test(c) || !isDialCountry(c));
    if (allowedDialCountries.length === 0)
      problem('ALLOWED_DIAL_COUNTRIES', 'must list at least one country code, e.g. US,CA.');
    else if (bad.length > 0)
      problem('ALLOWED_DIAL_COUNTRIES', `has unknown country codes: ${bad.join(', ')} (use ISO codes like US,CA).`);
  }

  const appName = read('APP_NAME');
  if (appName !== undefined && !/^[a-z][a-z0-9-]{0,39}$/.test(appName))
    problem('APP_NAME', 'must be 1–40 lowercase letters, digits or "-", starting with a letter.');

  const ttlRaw = read('SESSION_TTL_HOURS');
  const sessionTtlHours = Number(ttlRaw);
  if (ttlRaw !== undefined && (!/^\d+$/.test(ttlRaw) || sessionTtlHours < 1 || sessionTtlHours > 8760)) {
    problem('SESSION_TTL_HOURS', 'must be a whole number of hours between 1 and 8760.');
  }

  const limits = readLimitSettings(read, problem);

  if (problems.length > 0) return { ok: false, problems };
  const config: AppConfig = {
    catapultUserId: catapultUserId!,
    catapultApiToken: catapultApiToken!,
    catapultApiSecret: catapultApiSecret!,
    catapultDomainName: catapultDomainName!,
    catapultApiUrl: catapultApiUrl!,
    catapultSipWebsocketUrl: catapultSipWebsocketUrl!,
    publicBaseUrl: publicBaseUrl!,
    storageConnectionString: storageConnectionString!,
    appSecret: appSecret!,
    allowedDialCountries: Object.freeze(allowedDialCountries),
    appName: appName!,
    sessionTtlHours,
    limits,
  };
  return { ok: true, config: Object.freeze(config) };
}

/** One human sentence naming every bad setting (for AppError('config-invalid') and health). */
export function describeConfigProblems(problems: ConfigProblem[]): string {
  return `The app is misconfigured; fix these settings: ${problems.map((p) => p.setting).join(', ')}. ${problems.map((p) => p.message).join(' ')}`;
}

export function isLoopbackHost(hostname: string): boolean {
  return (
    hostname === 'localhost' ||
    hostname === '127.0.0.1' ||
    hostname === '[::1]' ||
    /^127\.\d+\.\d+\.\d+$/.test(hostname)
  );
}

function checkUrl(
  value: string | undefined,
  setting: string,
  protocols: [secure: string, insecure: string],
  problem: (setting: string, message: string) => void,
): string | undefined {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problem(setting, 'is not a valid URL.');
    return undefined;
  }
  const [secure, insecure] = protocols;
  if (url.protocol !== secure && !(url.protocol === insecure && isLoopbackHost(url.hostname))) {
    problem(setting, `must use ${secure}// (${insecure}// is allowed only for localhost/127.0.0.1).`);
    return undefined;
  }
  if (url.username || url.password || url.search || url.hash) {
    problem(setting, 'must not contain credentials, a query string or a fragment.');
    return undefined;
  }
  return url.toString().replace(/\/+$/, '');
}

function isStorageConnectionString(value: string): boolean {
  if (/^UseDevelopmentStorage=true;?$/i.test(value)) return true;
  const parts = new Map<string, string>();
  for (const part of value.split(';')) {
    const index = part.indexOf('=');
    if (index > 0) parts.set(part.slice(0, index).trim().toLowerCase(), part.slice(index + 1).trim());
  }
  const hasKey = (parts.get('accountname') && parts.get('accountkey')) || parts.get('sharedaccesssignature');
  const hasEndpoint = parts.get('tableendpoint') || parts.get('accountname');
  return Boolean(hasKey && hasEndpoint);
}
