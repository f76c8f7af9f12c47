// The app's settings: validated once, all problems reported together, never echoing secret values. Which
// provider the app runs on follows from the credentials that are set (Catapult's or Bandwidth's; both at
// once is an error naming both sets). CONFIG_SETTINGS (./config-settings.ts) describes every setting.
import type { ProviderName } from './api-types';
import {
  BANDWIDTH_CREDENTIALS,
  CATAPULT_CREDENTIALS,
  CONFIG_SETTINGS,
  DOMAIN_SUFFIX_LENGTH,
  MAX_DOMAIN_NAME,
  MIN_APP_SECRET,
} from './config-settings';
import { readLimitSettings, type LimitSettings } from './limits/limit-settings';
import { checkUrl, isLoopbackHost, isStorageConnectionString, parseWebPubSubConnectionString } from './config-values';
import {
  identityStorage,
  isStorageAccountName,
  STORAGE_ACCOUNT_SETTING,
  STORAGE_CONNECTION_SETTING,
  type StorageAccess,
} from './storage/storage-access';
import { readAccountSettings, type AccountSettings } from './accounts/account-settings';
import { isDialCountry } from './users/phone-number';

export { CONFIG_SETTINGS, DOMAIN_SUFFIX_LENGTH, type SettingInfo } from './config-settings';
export { isLoopbackHost } from './config-values';

interface CommonConfig {
  readonly publicBaseUrl: string; // no trailing slash
  /** A connection string, or the managed identity's way in (core/storage/storage-access.ts). */
  readonly storage: StorageAccess;
  readonly appSecret: string;
  readonly allowedDialCountries: readonly string[]; // ISO 3166-1 alpha-2, upper case
  readonly appName: string;
  readonly sessionTtlHours: number;
  /** Cost and fraud limits (core/limits/, docs/security.md "Cost and fraud"). */
  readonly limits: LimitSettings;
  /** How long a sign-up cut short can be resumed by retrying it before its number and endpoint are released. */
  readonly signupResumeMinutes: number;
  /** Passkeys (core/accounts/, docs/security.md "Accounts"). */
  readonly accounts: AccountSettings;
}

export interface CatapultAppConfig extends CommonConfig {
  readonly provider: 'catapult';
  readonly catapultUserId: string;
  readonly catapultApiToken: string;
  readonly catapultApiSecret: string;
  /** The desired domain name; bootstrap appends a random suffix (see DOMAIN_SUFFIX_LENGTH). */
  readonly catapultDomainName: string;
  readonly catapultApiUrl: string; // no trailing slash
  readonly catapultSipWebsocketUrl: string;
}

export interface BandwidthSettings {
  readonly accountId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly webrtcClientId: string;
  readonly webrtcClientSecret: string;
  readonly apiUrl: string; // no trailing slash
  readonly voiceUrl: string;
  readonly oauthUrl: string;
  readonly webrtcOauthUrl: string;
  readonly webrtcGatewayUrl: string;
  /** The account's In-App Calling numbers (E.164): Bandwidth's `from` on every dialpad call. */
  readonly inAppNumbers: readonly string[];
  readonly siteId?: string;
  readonly locationId?: string;
}

export interface WebPubSubSettings {
  readonly endpoint: string; // https://<name>.webpubsub.azure.com (no trailing slash)
  readonly accessKey: string;
  readonly hub: string;
}

export interface BandwidthAppConfig extends CommonConfig {
  readonly provider: 'bandwidth';
  readonly bandwidth: BandwidthSettings;
  readonly webPubSub: WebPubSubSettings;
}

export type AppConfig = CatapultAppConfig | BandwidthAppConfig;

export interface ConfigProblem {
  setting: string;
  message: string;
}

export type ConfigResult = { ok: true; config: AppConfig } | { ok: false; problems: ConfigProblem[] };

type Env = Record<string, string | undefined>;

/** The provider the credentials select, or undefined when both sets are there (an error). */
export function selectedProvider(env: Env): ProviderName | undefined {
  const has = (name: string) => Boolean(env[name]?.trim());
  const bandwidth = BANDWIDTH_CREDENTIALS.some(has);
  const catapult = CATAPULT_CREDENTIALS.some(has);
  if (bandwidth && catapult) return undefined;
  return bandwidth ? 'bandwidth' : 'catapult';
}

export function loadConfig(env: Env): ConfigResult {
  const problems: ConfigProblem[] = [];
  const provider = selectedProvider(env);
  if (!provider) {
    problems.push({
      setting: 'BANDWIDTH_ACCOUNT_ID',
      message: `Both Catapult (${CATAPULT_CREDENTIALS.join(', ')}) and Bandwidth (${BANDWIDTH_CREDENTIALS.join(', ')}) credentials are set: keep only the provider the app should run on.`,
    });
  }
  const read = (name: string): string | undefined => {
    const info = CONFIG_SETTINGS.find((s) => s.name === name)!;
    const raw = env[name]?.trim();
    if (raw && isKeyVaultReference(raw)) {
      // App Service leaves the reference text in place when it cannot resolve it (azure-functions.md §11.3): never
      // take it for the value.
      problems.push({
        setting: name,
        message: `${name} is a Key Vault reference the platform could not resolve: the Function App's identity needs the "Key Vault Secrets User" role on the vault, and the secret must exist (infra/README.md "Secrets and identity").`,
      });
      return undefined;
    }
    if (raw) return raw;
    if (info.default !== undefined) return info.default;
    // Another provider's required setting is not missing: it is not used.
    if (info.provider && info.provider !== provider) return undefined;
    problems.push({ setting: name, message: `${name} is required: ${info.description}` });
    return undefined;
  };
  const problem = (setting: string, message: string) => problems.push({ setting, message: `${setting} ${message}` });

  const publicBaseUrl = checkUrl(read('PUBLIC_BASE_URL'), 'PUBLIC_BASE_URL', ['https:', 'http:'], problem);
  const storage = readStorage(read, problem);
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
  const resumeRaw = read('SIGNUP_RESUME_MINUTES');
  const signupResumeMinutes = Number(resumeRaw);
  if (resumeRaw !== undefined && (!/^\d+$/.test(resumeRaw) || signupResumeMinutes > 1440)) {
    problem('SIGNUP_RESUME_MINUTES', 'must be a whole number of minutes between 0 and 1440.');
  }
  const accounts = readAccountSettings(read, problem, isLoopbackHost);

  const common = {
    publicBaseUrl: publicBaseUrl!,
    storage: storage!,
    appSecret: appSecret!,
    allowedDialCountries: Object.freeze(allowedDialCountries),
    appName: appName!,
    sessionTtlHours,
    limits,
    signupResumeMinutes,
    accounts,
  };

  const specific =
    provider === 'bandwidth'
      ? readBandwidth(read, problem)
      : provider === 'catapult'
        ? readCatapult(read, problem)
        : undefined;
  if (problems.length > 0 || !specific) return { ok: false, problems };
  return { ok: true, config: Object.freeze({ ...common, ...specific }) as AppConfig };
}

type Read = (name: string) => string | undefined;
type Problem = (setting: string, message: string) => void;

/** Text App Service puts in a setting to have it resolved from Key Vault. */
export function isKeyVaultReference(value: string): boolean {
  return /^@Microsoft\.KeyVault\(/i.test(value);
}

/** Exactly one of a connection string (AzureWebJobsStorage) and an account reached by identity. */
function readStorage(read: Read, problem: Problem): StorageAccess | undefined {
  const connectionString = read(STORAGE_CONNECTION_SETTING);
  const accountName = read(STORAGE_ACCOUNT_SETTING);
  if (connectionString && accountName) {
    problem(
      STORAGE_CONNECTION_SETTING,
      `and ${STORAGE_ACCOUNT_SETTING} are both set: keep the connection string (Azurite, or an account key) or the account name (the managed identity), not both.`,
    );
    return undefined;
  }
  if (connectionString) {
    if (isStorageConnectionString(connectionString)) return { kind: 'connection-string', connectionString };
    problem(
      STORAGE_CONNECTION_SETTING,
      'must be UseDevelopmentStorage=true or a connection string with AccountName and AccountKey (or a SAS) and a table endpoint.',
    );
    return undefined;
  }
  if (accountName) {
    if (isStorageAccountName(accountName)) return identityStorage(accountName);
    problem(STORAGE_ACCOUNT_SETTING, 'must be a storage account name: 3 to 24 lowercase letters and digits.');
    return undefined;
  }
  // Neither is set (each is optional on its own, one of them is required); undefined: already reported
  if (connectionString !== undefined && accountName !== undefined) {
    problem(
      STORAGE_CONNECTION_SETTING,
      `is required: a storage connection string (UseDevelopmentStorage=true for Azurite), or ${STORAGE_ACCOUNT_SETTING} to reach the account with the Function App's managed identity.`,
    );
  }
  return undefined;
}

function readCatapult(read: Read, problem: Problem): Omit<CatapultAppConfig, keyof CommonConfig> {
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
  return {
    provider: 'catapult',
    catapultUserId: catapultUserId!,
    catapultApiToken: catapultApiToken!,
    catapultApiSecret: catapultApiSecret!,
    catapultDomainName: catapultDomainName!,
    catapultApiUrl: catapultApiUrl!,
    catapultSipWebsocketUrl: catapultSipWebsocketUrl!,
  };
}

function readBandwidth(read: Read, problem: Problem): Omit<BandwidthAppConfig, keyof CommonConfig> {
  const accountId = read('BANDWIDTH_ACCOUNT_ID');
  if (accountId !== undefined && !/^\d{1,12}$/.test(accountId))
    problem('BANDWIDTH_ACCOUNT_ID', 'must be the account number (digits only).');
  const credential = (name: string, secret: boolean) => {
    const value = read(name);
    if (value !== undefined && (/[\s:]/.test(value) || value.length > 200))
      problem(name, `must be the credential's ${secret ? 'secret' : 'id'} as Bandwidth shows it (no spaces or ":").`);
    return value;
  };
  const clientId = credential('BANDWIDTH_CLIENT_ID', false);
  const clientSecret = credential('BANDWIDTH_CLIENT_SECRET', true);
  const webrtcClientId = credential('BANDWIDTH_WEBRTC_CLIENT_ID', false);
  const webrtcClientSecret = credential('BANDWIDTH_WEBRTC_CLIENT_SECRET', true);
  if (clientId !== undefined && clientId === webrtcClientId) {
    problem(
      'BANDWIDTH_WEBRTC_CLIENT_ID',
      'must be a second credential, limited to In-App Calling: browsers receive its tokens, so it must not be the one that orders numbers.',
    );
  }
  const https = (name: string) => checkUrl(read(name), name, ['https:', 'http:'], problem);
  const apiUrl = https('BANDWIDTH_API_URL');
  const voiceUrl = https('BANDWIDTH_VOICE_URL');
  const oauthUrl = https('BANDWIDTH_OAUTH_URL');
  const webrtcOauthUrl = https('BANDWIDTH_WEBRTC_OAUTH_URL');
  const webrtcGatewayUrl = checkUrl(
    read('BANDWIDTH_WEBRTC_GATEWAY_URL'),
    'BANDWIDTH_WEBRTC_GATEWAY_URL',
    ['wss:', 'ws:'],
    problem,
  );
  // Without them a dialpad call carrying no caller token would pass for an outside caller's (webhooks.ts).
  const inAppRaw = read('BANDWIDTH_IN_APP_NUMBERS');
  const inAppNumbers = (inAppRaw ?? '')
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  if (inAppRaw !== undefined && (inAppNumbers.length === 0 || inAppNumbers.some((n) => !/^\+[1-9]\d{6,14}$/.test(n))))
    problem('BANDWIDTH_IN_APP_NUMBERS', 'must list the In-App Calling number(s) in E.164, e.g. +19195550100.');
  const siteId = read('BANDWIDTH_SITE_ID') || undefined;
  const locationId = read('BANDWIDTH_LOCATION_ID') || undefined;
  if (siteId !== undefined && !/^\d{1,12}$/.test(siteId)) problem('BANDWIDTH_SITE_ID', 'must be a site id (digits).');
  if (locationId !== undefined && !/^\d{1,12}$/.test(locationId))
    problem('BANDWIDTH_LOCATION_ID', 'must be a location (SIP peer) id (digits).');
  if (locationId !== undefined && siteId === undefined)
    problem('BANDWIDTH_LOCATION_ID', 'needs BANDWIDTH_SITE_ID: a location belongs to a site.');

  const pubSubRaw = read('WEB_PUBSUB_CONNECTION_STRING');
  const pubSub = pubSubRaw === undefined ? undefined : parseWebPubSubConnectionString(pubSubRaw);
  if (pubSubRaw !== undefined && !pubSub) {
    problem(
      'WEB_PUBSUB_CONNECTION_STRING',
      'must look like Endpoint=https://<name>.webpubsub.azure.com;AccessKey=<key>;Version=1.0; (http only for localhost).',
    );
  }
  const hub = read('WEB_PUBSUB_HUB');
  if (hub !== undefined && !/^[A-Za-z][A-Za-z0-9_]{0,127}$/.test(hub))
    problem('WEB_PUBSUB_HUB', 'must start with a letter and hold only letters, digits and "_".');
  return {
    provider: 'bandwidth',
    bandwidth: Object.freeze({
      accountId: accountId!,
      clientId: clientId!,
      clientSecret: clientSecret!,
      webrtcClientId: webrtcClientId!,
      webrtcClientSecret: webrtcClientSecret!,
      apiUrl: apiUrl!,
      voiceUrl: voiceUrl!,
      oauthUrl: oauthUrl!,
      webrtcOauthUrl: webrtcOauthUrl!,
      webrtcGatewayUrl: webrtcGatewayUrl!,
      inAppNumbers: Object.freeze(inAppNumbers),
      ...(siteId ? { siteId } : {}),
      ...(locationId ? { locationId } : {}),
    }),
    webPubSub: Object.freeze({ endpoint: pubSub?.endpoint ?? '', accessKey: pubSub?.accessKey ?? '', hub: hub! }),
  };
}

/** One human sentence naming every bad setting (for AppError('config-invalid') and health). */
export function describeConfigProblems(problems: ConfigProblem[]): string {
  return `The app is misconfigured; fix these settings: ${problems.map((p) => p.setting).join(', ')}. ${problems.map((p) => p.message).join(' ')}`;
}
