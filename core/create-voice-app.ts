// Composition root of the core: builds the Catapult client, the stores and the services once from the
// validated config, and implements the VoiceApp facade the HTTP functions call.
import { createAccountApp } from './accounts/account-app';
import type { CallHistoryResponse, UserView } from './api-types';
import { Bootstrapper, type AppResources } from './bootstrap/bootstrap';
import type { CatapultApi } from './catapult/catapult-api';
import { createCatapultClient } from './catapult/client';
import { describeConfigProblems, loadConfig, type AppConfig } from './config';
import { deriveKeys } from './crypto/derive-keys';
import { AppError } from './errors';
import { checkHealth } from './health/check-health';
import { noopLogger, type Logger } from './log';
import { mapCatapultError } from './map-catapult-error';
import { searchNumbers } from './numbers/search-numbers';
import { CallEventHandler } from './routing/call-event-handler';
import { SignUpService } from './signup/sign-up';
import { createAzureTables, storesFromTables, type StoreTables } from './storage/stores';
import type { UserRecord } from './storage/user-store';
import { readSipPassword } from './users/sip-password';
import type { UserRef, VoiceApp } from './voice-app';

export interface CreateVoiceAppOptions {
  config: AppConfig;
  logger?: Logger;
  /** Defaults to the real client for config.catapultApiUrl. */
  catapult?: CatapultApi;
  /** Defaults to Azure tables from config.storageConnectionString. */
  tables?: StoreTables;
  /** Table-name prefix (letters/digits) when `tables` is not given; tests use a unique one. */
  tablePrefix?: string;
  storageTimeoutMs?: number;
  healthTimeoutMs?: number;
  now?: () => number;
  bootstrap?: { leaseTtlMs?: number; waitMs?: number; pollMs?: number };
  signUp?: { leaseMs?: number; staleAfterMs?: number };
  /** Minimum time between opportunistic sweeps of stale sign-ups, default 5 min; 0 disables them. */
  sweepIntervalMs?: number;
}

/** VoiceApp plus operations for maintenance and tests. */
export interface CoreVoiceApp extends VoiceApp {
  ensureCatapultResources(): Promise<AppResources>;
  sweepStaleSignUps(): Promise<number>;
  /** Deletes expired used-passkey-challenge rows (also done every minute as challenges are used). */
  sweepUsedChallenges(): Promise<number>;
}

const WEBRTC_TOKEN_SECONDS = 3600;

export function createVoiceApp(options: CreateVoiceAppOptions): CoreVoiceApp {
  const { config } = options;
  const logger = options.logger ?? noopLogger;
  const now = options.now ?? Date.now;
  const keys = deriveKeys(config.appSecret);
  const catapult =
    options.catapult ??
    createCatapultClient({
      baseUrl: config.catapultApiUrl,
      userId: config.catapultUserId,
      apiToken: config.catapultApiToken,
      apiSecret: config.catapultApiSecret,
      logger,
    });
  const tables =
    options.tables ??
    createAzureTables({
      connectionString: config.storageConnectionString,
      tablePrefix: options.tablePrefix,
      timeoutMs: options.storageTimeoutMs,
      logger,
    });
  const stores = storesFromTables(tables);
  const bootstrap = new Bootstrapper({
    catapult,
    store: stores.bootstrap,
    config,
    webhookPassword: keys.webhookPassword,
    logger,
    ...options.bootstrap,
  });
  const signUps = new SignUpService({
    catapult,
    users: stores.users,
    signups: stores.signups,
    ensureResources: () => bootstrap.ensure(),
    sipPasswordKey: keys.sipPasswordKey,
    appName: config.appName,
    logger,
    now,
    ...options.signUp,
  });
  const events = new CallEventHandler({
    catapult,
    users: stores.users,
    calls: stores.calls,
    applicationId: async () => (await bootstrap.peek())?.applicationId,
    webhookPassword: keys.webhookPassword,
    publicBaseUrl: config.publicBaseUrl,
    allowedCountries: config.allowedDialCountries,
    logger,
    now,
  });

  const sweepInterval = options.sweepIntervalMs ?? 5 * 60_000;
  let lastSweep = 0;
  const sweepSoon = () => {
    if (sweepInterval <= 0 || now() - lastSweep < sweepInterval) return;
    lastSweep = now();
    signUps.sweepStale().catch((error) => logger.warn('stale sign-up sweep failed', { error: String(error) }));
  };

  const {
    passkeys: _passkeys,
    sessions: _sessions,
    challenges,
    audit,
    logIn,
    sessionAfterSignUp,
    ...accountApi
  } = createAccountApp({
    settings: config.accounts,
    appName: 'Voice Reference App',
    keys,
    sessionTtlHours: config.sessionTtlHours,
    tables: { accounts: tables.accounts, challenges: tables.challenges },
    findUser: async (username) => {
      const user = await stores.users.get(username);
      return user && userView(user);
    },
    now,
    logger,
  });
  const sipPasswordDeps = {
    sipPasswordKey: keys.sipPasswordKey,
    catapult,
    users: stores.users,
    domainId: async () => (await bootstrap.ensure()).domainId,
    logger,
  };
  const loadUser = async (authenticated: UserRef) => {
    const user = await stores.users.get(authenticated.username);
    if (!user) throw new AppError('unauthorized', 'This account no longer exists. Sign up again.');
    return user;
  };

  return {
    ...accountApi,
    async health() {
      return checkHealth({
        timeoutMs: options.healthTimeoutMs,
        storage: () => stores.bootstrap.getState(),
        catapult: async () => {
          try {
            const known = await bootstrap.peek().catch(() => undefined);
            if (known?.applicationId) return await catapult.getApplication(known.applicationId);
            for await (const application of catapult.listApplications({ size: 1 })) return application;
            return undefined; // an account without applications yet still answered: Catapult is reachable
          } catch (error) {
            throw mapCatapultError(error, 'health check');
          }
        },
      });
    },
    async searchNumbers(query) {
      return { numbers: await searchNumbers(catapult, query ?? {}) };
    },
    async signUp(request, origin) {
      sweepSoon();
      const body = (request ?? {}) as Partial<typeof request>;
      const { created, user } = await signUps.signUp({ username: body.username, number: body.number });
      return { created, session: await sessionAfterSignUp(userView(user), created, origin) };
    },
    logIn,
    async getMe(authenticated) {
      return userView(await loadUser(authenticated));
    },
    async getSipCredentials(authenticated, origin) {
      return audit.around({ event: 'sip-password-revealed', user: authenticated.username }, origin, async () => {
        const user = await loadUser(authenticated);
        return {
          sipUri: user.sipUri,
          username: user.username,
          password: await readSipPassword(sipPasswordDeps, user),
          realm: user.realm,
          websocketUrl: config.catapultSipWebsocketUrl,
        };
      });
    },
    async createWebRtcToken(authenticated) {
      const user = await loadUser(authenticated);
      const { domainId } = await bootstrap.ensure();
      try {
        const token = await catapult.createEndpointToken(domainId, user.endpointId, WEBRTC_TOKEN_SECONDS);
        return {
          token: token.token,
          expiresAt: new Date(now() + token.expires * 1000).toISOString(),
          sipUri: user.sipUri,
          websocketUrl: config.catapultSipWebsocketUrl,
          headerName: 'X-Callsign-Token',
        };
      } catch (error) {
        throw mapCatapultError(error, 'WebRTC token');
      }
    },
    async listCalls(authenticated): Promise<CallHistoryResponse> {
      const user = await loadUser(authenticated);
      return { calls: await stores.calls.list(user.username) };
    },
    async handleCatapultEvent(event) {
      await events.handle(event);
    },
    ensureCatapultResources: () => bootstrap.ensure(),
    sweepStaleSignUps: () => signUps.sweepStale(),
    sweepUsedChallenges: () => challenges.sweep(),
  };
}

/**
 * From process.env. With an invalid config it still returns a VoiceApp: health names the bad settings
 * and every other method throws AppError('config-invalid'), so the host starts and says what is wrong.
 */
export function createVoiceAppFromEnv(env: Record<string, string | undefined>, logger: Logger = noopLogger): VoiceApp {
  const result = loadConfig(env);
  if (result.ok) return createVoiceApp({ config: result.config, logger });
  const message = describeConfigProblems(result.problems);
  logger.error('configuration invalid', { settings: result.problems.map((p) => p.setting) });
  const fail = async (): Promise<never> => {
    throw new AppError('config-invalid', message);
  };
  return {
    health: () => checkHealth({ configProblem: message }),
    searchNumbers: fail,
    signUp: fail,
    logIn: fail,
    authenticate: fail,
    getMe: fail,
    getSipCredentials: fail,
    createWebRtcToken: fail,
    listCalls: fail,
    handleCatapultEvent: fail,
    refreshSession: fail,
    passkeyLoginOptions: fail,
    logInWithPasskey: fail,
    listSessions: fail,
    endSession: fail,
    endAllSessions: fail,
    passkeyRegistrationOptions: fail,
    registerPasskey: fail,
    listPasskeys: fail,
    removePasskey: fail,
    stepUpOptions: fail,
    stepUp: fail,
  };
}

function userView(user: UserRecord): UserView {
  return {
    username: user.username,
    number: user.number,
    nationalNumber: user.nationalNumber,
    sipUri: user.sipUri,
    createdAt: user.createdAt,
  };
}
