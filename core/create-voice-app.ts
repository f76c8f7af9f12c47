// Composition root of the core: picks the provider from the validated config, builds it, the stores and the
// services once, and implements the VoiceApp facade the HTTP functions call. The only place outside
// core/providers/** that knows which provider the app runs on.
import { createAccountApp } from './accounts/account-app';
import type { CallHistoryResponse, DialCheckResponse, UserView } from './api-types';
import type { CallTokenKeys } from './auth/call-tokens';
import { Bootstrapper, type AppResources } from './bootstrap/bootstrap';
import type { CatapultApi } from './catapult/catapult-api';
import { createCatapultClient } from './catapult/client';
import { describeConfigProblems, loadConfig, selectedProvider, type AppConfig, type CatapultAppConfig } from './config';
import { deriveKeys } from './crypto/derive-keys';
import { AppError, isAppError } from './errors';
import { createUpkeepOperations } from './doctor/operations';
import { checkHealth } from './health/check-health';
import { providerProbe } from './health/provider-probe';
import { CallLimits } from './limits/call-limits';
import { guardFromConfig, type UnguardedVoiceApp } from './limits/guard';
import { liftOutboundBreaker, readOutboundBreaker } from './limits/outbound-breaker';
import { normalizeUsername } from './users/username';
import { noopLogger, type Logger } from './log';
import type { UserNotifier } from './notifications/user-notifier';
import { createWebPubSubNotifier } from './notifications/web-pubsub-notifier';
import { searchNumbers } from './numbers/search-numbers';
import type { VoiceProvider } from './provider/voice-provider';
import { createBandwidthFromConfig, type BandwidthTestOptions } from './providers/bandwidth/from-config';
import { createCatapultProvider } from './providers/catapult/catapult-provider';
import { CallEventHandler } from './routing/call-event-handler';
import { providerUser } from './routing/routing-users';
import { SignUpService } from './signup/sign-up';
import { PeerUsernames } from './storage/peer-usernames';
import { createAzureTables, storesFromTables, type StoreTables } from './storage/stores';
import { clientAccess } from './storage/storage-access';
import type { UserRecord } from './storage/user-store';
import { checkDial } from './users/dial-check';
import { readSipPassword, rotateSipPassword } from './users/sip-password';
import type { AudioBlobs } from './voicemail/audio-blobs';
import { createAzureAudioBlobs, voicemailContainerName } from './voicemail/azure-audio-blobs';
import { MemoryAudioBlobs } from './voicemail/memory-audio-blobs';
import { Greetings } from './voicemail/greetings';
import { createVoicemailApi } from './voicemail/voicemail-api';
import { VoicemailStore } from './voicemail/voicemail-store';
import type { UserRef, VoiceApp } from './voice-app';

export interface CreateVoiceAppOptions {
  config: AppConfig;
  logger?: Logger;
  /** Catapult: defaults to the real client for config.catapultApiUrl. */
  catapult?: CatapultApi;
  /** Bandwidth: the fetch its clients use, its Numbers API client's limits, and how long orders are polled. */
  bandwidth?: BandwidthTestOptions;
  /** Defaults to Azure tables from config.storage (a connection string, or the managed identity). */
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
  /** Minimum time between opportunistic checks for calls past their longest length, default 30 s; 0 disables. */
  overdueCheckIntervalMs?: number;
  /** How long a call parked for a user's dialpads rings before it ends unanswered, default 30 s. */
  ringTimeoutMs?: number;
  /** The incoming-call channel; defaults to Web PubSub from the config where the provider needs one. */
  notifier?: UserNotifier;
  /**
   * Where voicemail audio lives; defaults to the private container `<prefix>-voicemail` in Blob Storage (in memory
   * when `tables` are given).
   */
  audioBlobs?: AudioBlobs;
}

/**
 * VoiceApp without the cost and fraud limits, plus operations for maintenance and tests. Its searches are
 * unsigned: core/limits/guard.ts signs what it answers and wraps this for every HTTP request.
 */
export interface CoreVoiceApp extends UnguardedVoiceApp {
  readonly provider: VoiceProvider;
  ensureProviderResources(): Promise<AppResources>;
  sweepStaleSignUps(): Promise<number>;
  /** Deletes expired used-passkey-challenge rows (also done every minute as challenges are used). */
  sweepUsedChallenges(): Promise<number>;
}

interface ProviderContext {
  options: CreateVoiceAppOptions;
  logger: Logger;
  now: () => number;
  webhookPassword: string;
  webhookSigningKey: Buffer;
  callTokenKeys: CallTokenKeys;
  /** The incoming-call channel, where the app rings dialpads itself (Bandwidth). */
  notifier?: UserNotifier;
  resources: () => Promise<AppResources>;
  knownResources: (fresh?: boolean) => Promise<AppResources | undefined>;
}

/** The one place that chooses the provider. */
function createProvider(context: ProviderContext): VoiceProvider {
  const { config } = context.options;
  if (config.provider === 'catapult') return createCatapult(context, config);
  if (!context.notifier) throw new Error('Bandwidth needs the incoming-call channel (a UserNotifier).');
  return createBandwidthFromConfig(config, {
    ...context,
    notifier: context.notifier,
    ...(context.options.ringTimeoutMs === undefined ? {} : { ringTimeoutMs: context.options.ringTimeoutMs }),
    ...context.options.bandwidth,
  });
}

function createCatapult(context: ProviderContext, config: CatapultAppConfig): VoiceProvider {
  const { options, logger } = context;
  const client =
    options.catapult ??
    createCatapultClient({
      baseUrl: config.catapultApiUrl,
      userId: config.catapultUserId,
      apiToken: config.catapultApiToken,
      apiSecret: config.catapultApiSecret,
      logger,
    });
  return createCatapultProvider({
    ...context,
    client,
    appName: config.appName,
    domainName: config.catapultDomainName,
    publicBaseUrl: config.publicBaseUrl,
    sipWebsocketUrl: config.catapultSipWebsocketUrl,
    ...(options.ringTimeoutMs === undefined ? {} : { ringTimeoutMs: options.ringTimeoutMs }),
  });
}

export function createVoiceApp(options: CreateVoiceAppOptions): CoreVoiceApp {
  const { config } = options;
  const logger = options.logger ?? noopLogger;
  const now = options.now ?? Date.now;
  const keys = deriveKeys(config.appSecret);
  const tables =
    options.tables ??
    createAzureTables({
      ...clientAccess(config.storage, 'table'),
      tablePrefix: options.tablePrefix,
      timeoutMs: options.storageTimeoutMs,
      logger,
    });
  const stores = storesFromTables(tables);
  const audioBlobs =
    options.audioBlobs ??
    // Tables given (tests) and no blobs: blobs in memory too, so such an app never reaches for Blob Storage.
    (options.tables
      ? new MemoryAudioBlobs(now)
      : createAzureAudioBlobs({
          ...clientAccess(config.storage, 'blob'),
          containerName: voicemailContainerName(options.tablePrefix),
          timeoutMs: options.storageTimeoutMs,
          logger,
        }));
  const voicemails = new VoicemailStore(tables.voicemails, audioBlobs, logger, now);
  const greetings = new Greetings(audioBlobs, keys.webhookSigningKey, config.publicBaseUrl, now);
  const notifier =
    options.notifier ??
    (config.provider === 'bandwidth' ? createWebPubSubNotifier({ ...config.webPubSub, logger, now }) : undefined);
  // The provider's parts reach the resources through the bootstrapper, which needs the provider's setup part.
  const provider = createProvider({
    options,
    logger,
    now,
    webhookPassword: keys.webhookPassword,
    webhookSigningKey: keys.webhookSigningKey,
    callTokenKeys: keys,
    notifier,
    resources: () => bootstrap.ensure(),
    knownResources: (fresh) => bootstrap.peek(fresh),
  });
  const peerUsernames = new PeerUsernames(
    async (number) => (await stores.users.getByNumber(number))?.username,
    logger,
    now,
  );
  const bootstrap = new Bootstrapper({
    setup: provider.setup,
    store: stores.bootstrap,
    logger,
    ...options.bootstrap,
  });
  const ensureResources = () => bootstrap.ensure();
  // SIGNUP_RESUME_MINUTES: how long a sign-up cut short waits for its person's retry before it is released.
  const signUpTiming = { staleAfterMs: config.signupResumeMinutes * 60_000, ...options.signUp };
  const signUps = new SignUpService({
    provider,
    users: stores.users,
    signups: stores.signups,
    ensureResources,
    sipPasswordKey: keys.sipPasswordKey,
    appName: config.appName,
    logger,
    now,
    ...signUpTiming,
  });
  const upkeep = createUpkeepOperations({
    provider,
    bootstrap,
    stores,
    signUps,
    sipPasswordKey: keys.sipPasswordKey,
    appName: config.appName,
    staleAfterMs: signUpTiming.staleAfterMs,
    logger,
    now,
  });
  const events = new CallEventHandler({
    provider,
    users: stores.users,
    calls: stores.calls,
    allowedCountries: config.allowedDialCountries,
    allowTollFree: config.limits.dialTollFree,
    callLimits: new CallLimits({ table: tables.limits, settings: config.limits, logger, now }),
    logger,
    now,
    ringTimeoutMs: options.ringTimeoutMs,
    voicemail: {
      store: voicemails,
      greetingLink: (username) => greetings.linkFor(username),
      ...(notifier ? { notifier } : {}),
    },
  });

  const sweepInterval = options.sweepIntervalMs ?? 5 * 60_000;
  let lastSweep = 0;
  const sweepSoon = () => {
    if (sweepInterval <= 0 || now() - lastSweep < sweepInterval) return;
    lastSweep = now();
    signUps.sweepStale().catch((error) => logger.warn('stale sign-up sweep failed', { error: String(error) }));
  };

  // Besides the timer function (functions/calls-overdue-end.ts, every minute), webhooks and signed-in requests
  // start the watchdog at most every interval, so the cap holds between timer runs too.
  const overdueInterval = options.overdueCheckIntervalMs ?? 30_000;
  let lastOverdueCheck = 0;
  const checkOverdueSoon = () => {
    if (overdueInterval <= 0 || now() - lastOverdueCheck < overdueInterval) return;
    lastOverdueCheck = now();
    events.endOverdueCalls().catch((error) => logger.warn('overdue call check failed', { error: String(error) }));
  };

  const { passkeys, sessions, challenges, audit, logIn, sessionAfterSignUp, ...accountApi } = createAccountApp({
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
    identities: provider.identities,
    users: stores.users,
    logger,
  };
  const loadUser = async (authenticated: UserRef) => {
    const user = await stores.users.get(authenticated.username);
    if (!user) throw new AppError('unauthorized', 'This account no longer exists. Sign up again.');
    return user;
  };

  const voicemailApi = createVoicemailApi({ store: voicemails, greetings, owner: loadUser });

  return {
    ...accountApi,
    ...voicemailApi,
    provider,
    async health() {
      return checkHealth({
        timeoutMs: options.healthTimeoutMs,
        storage: () => stores.bootstrap.getState(),
        provider: {
          name: provider.name,
          label: provider.label,
          probe: providerProbe({ provider, bootstrap, maintenance: upkeep.maintenance }),
        },
      });
    },
    async searchNumbers(query) {
      return { numbers: await searchNumbers(provider.numbers, query ?? {}) };
    },
    async signUp(request, origin) {
      sweepSoon();
      const body = (request ?? {}) as Partial<typeof request>;
      const { created, user } = await signUps
        .signUp({ username: body.username, number: body.number })
        .catch((error) => {
          // The provider lost the app's set-up (drift): repair it now; the person's retry resumes after that.
          if (isAppError(error) && error.code === 'provider-resources-missing') {
            bootstrap.forget();
            upkeep.maintenance?.runSoon();
          }
          throw error;
        });
      return { created, session: await sessionAfterSignUp(userView(user), created, origin) };
    },
    logIn,
    async authenticate(header, authOptions) {
      checkOverdueSoon();
      return accountApi.authenticate(header, authOptions);
    },
    async getMe(authenticated) {
      return userView(await loadUser(authenticated));
    },
    async getSipCredentials(authenticated, origin) {
      return audit.around({ event: 'sip-password-revealed', user: authenticated.username }, origin, async () => {
        await passkeys.requireOwnerPresent(authenticated);
        const user = await loadUser(authenticated);
        return provider.sipCredentials.read(providerUser(user), () => readSipPassword(sipPasswordDeps, user));
      });
    },
    async rotateSipPassword(authenticated, origin) {
      return audit.around({ event: 'sip-password-rotated', user: authenticated.username }, origin, async () => {
        await passkeys.requireOwnerPresent(authenticated);
        const user = await loadUser(authenticated);
        return provider.sipCredentials.read(providerUser(user), () => rotateSipPassword(sipPasswordDeps, user));
      });
    },
    async endAllSessions(authenticated, origin) {
      // The SIP password goes with the sessions: whoever read it in one of them must not keep calling as this
      // account. Rotated FIRST, so a provider fault leaves every session (and the person's way to retry) intact.
      if (provider.identities.usesPassword) {
        await audit.around(
          { event: 'sip-password-rotated', user: authenticated.username, sessionId: authenticated.sessionId },
          origin,
          async () => rotateSipPassword(sipPasswordDeps, await loadUser(authenticated)),
        );
      }
      return accountApi.endAllSessions(authenticated, origin);
    },
    async createWebRtcToken(authenticated) {
      await sessions.countCallingToken(authenticated);
      const user = await loadUser(authenticated);
      return provider.browser.token(providerUser(user));
    },
    async listCalls(authenticated): Promise<CallHistoryResponse> {
      const user = await loadUser(authenticated);
      return { calls: await peerUsernames.annotate(await stores.calls.list(user.username)) };
    },
    async checkDial(authenticated, number): Promise<DialCheckResponse> {
      const user = await loadUser(authenticated);
      return checkDial(number, user, {
        allowedCountries: config.allowedDialCountries,
        allowTollFree: config.limits.dialTollFree,
      });
    },
    async handleWebhook(incoming) {
      checkOverdueSoon();
      return events.handle(incoming);
    },
    async runMaintenance() {
      // Voicemail blobs a save or delete left without their row (see voicemail-store.ts): idempotent, so it
      // needs no lease, and its failure must not stop the upkeep.
      await voicemails
        .sweepOrphans()
        .catch((error) => logger.warn('voicemail sweep failed', { code: (error as { code?: string }).code }));
      return upkeep.runMaintenance();
    },
    doctor: (request) => upkeep.doctor(request),
    outboundBreaker(request) {
      const breaker = { table: tables.limits, limitMinutesPerHour: config.limits.outboundMinutesPerHour, logger, now };
      return request.lift ? liftOutboundBreaker(breaker) : readOutboundBreaker(breaker);
    },
    async declineCall(authenticated, callId) {
      await events.decline(authenticated.username, callId);
    },
    async negotiateNotifications(authenticated) {
      if (!notifier) {
        throw new AppError(
          'not-found',
          `${provider.label} rings the dialpad itself: there is no incoming-call channel to connect to.`,
        );
      }
      const user = await loadUser(authenticated);
      return notifier.clientAccess(user.username);
    },
    ensureProviderResources: ensureResources,
    sweepStaleSignUps: () => signUps.sweepStale(),
    userExists: async (username) => (await stores.users.get(normalizeUsername(username))) !== undefined,
    endOverdueCalls: () => events.endOverdueCalls(),
    sweepUsedChallenges: () => challenges.sweep(),
  };
}

/**
 * From process.env. With an invalid config it still returns a VoiceApp: health names the bad settings
 * and every other method throws AppError('config-invalid'), so the host starts and says what is wrong.
 */
export function createVoiceAppFromEnv(env: Record<string, string | undefined>, logger: Logger = noopLogger): VoiceApp {
  const result = loadConfig(env);
  // Every HTTP request reaches the core through the cost and fraud guard (core/limits/).
  if (result.ok) return guardFromConfig(createVoiceApp({ config: result.config, logger }), result.config, { logger });
  const message = describeConfigProblems(result.problems);
  logger.error('configuration invalid', { settings: result.problems.map((p) => p.setting) });
  const fail = async (): Promise<never> => {
    throw new AppError('config-invalid', message);
  };
  return {
    health: () => checkHealth({ configProblem: message, providerName: selectedProvider(env) }),
    searchNumbers: fail,
    signUp: fail,
    logIn: fail,
    authenticate: fail,
    getMe: fail,
    getSipCredentials: fail,
    rotateSipPassword: fail,
    createWebRtcToken: fail,
    listCalls: fail,
    checkDial: fail,
    handleWebhook: fail,
    runMaintenance: fail,
    doctor: fail,
    outboundBreaker: fail,
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
    declineCall: fail,
    negotiateNotifications: fail,
    endOverdueCalls: fail,
    listVoicemails: fail,
    getVoicemailAudio: fail,
    updateVoicemail: fail,
    deleteVoicemail: fail,
    saveGreeting: fail,
    getGreeting: fail,
    deleteGreeting: fail,
    openGreetingLink: fail,
  };
}

function userView(user: UserRecord): UserView {
  return {
    username: user.username,
    number: user.number,
    nationalNumber: user.nationalNumber,
    ...(user.sipUri ? { sipUri: user.sipUri } : {}),
    createdAt: user.createdAt,
  };
}
