// The cost and fraud guard around the core (docs/security.md "Cost and fraud"): the VoiceApp every HTTP
// request reaches. It counts anonymous requests per client address in Table Storage (shared by all
// instances), signs the numbers a search offers and orders only those, caches searches and health answers
// briefly so anonymous traffic does not become provider traffic, and leaves every other method as it is.
import type { AvailableNumberView, NumberSearchQuery, SignUpRequest } from '../api-types';
import type { AppConfig } from '../config';
import { deriveKeys } from '../crypto/derive-keys';
import { isAppError } from '../errors';
import type { Logger } from '../log';
import { createAzureEntityTable } from '../storage/azure-entity-table';
import { clientAccess } from '../storage/storage-access';
import type { EntityTable } from '../storage/entity-table';
import { isLocalNumber } from '../users/phone-number';
import { normalizeUsername } from '../users/username';
import type { RequestOrigin, VoiceApp } from '../voice-app';
import { UNKNOWN_ADDRESS } from './client-address';
import type { LimitSettings } from './limit-settings';
import { NumberOffers } from './number-offers';
import { refusal } from './refusal';
import { guardedSignUp } from './signup-guard';
import { ExpiringSet, TtlCache } from './ttl-cache';
import { HOUR_MS, WindowCounters } from './window-counters';

/** The core as createVoiceApp builds it: a VoiceApp whose searches are not signed yet. */
export type UnguardedVoiceApp = Omit<VoiceApp, 'searchNumbers'> & {
  searchNumbers(query: NumberSearchQuery): Promise<{ numbers: AvailableNumberView[] }>;
  /** Whether an account has this username: a lookup, not a log-in (no session, no audit). */
  userExists(username: string): Promise<boolean>;
};

export interface GuardOptions {
  settings: LimitSettings;
  /** HMAC key of the search signatures (DerivedKeys.numberOfferKey). */
  offerKey: Buffer;
  /** Where the counters live (`<prefix>Limits`): one table for every instance. */
  table: EntityTable;
  logger?: Logger;
  now?: () => number;
}

/** Distinct searches each instance remembers at most. */
const SEARCH_CACHE_ENTRIES = 500;

export function guardVoiceApp(core: UnguardedVoiceApp, options: GuardOptions): VoiceApp {
  const { settings } = options;
  const now = options.now ?? Date.now;
  const counters = new WindowCounters({ table: options.table, now, logger: options.logger });
  const offers = new NumberOffers(options.offerKey, settings.numberOfferMinutes * 60_000, now);
  const searches = new TtlCache<{ numbers: AvailableNumberView[] }>({
    ttlMs: settings.searchCacheSeconds * 1000,
    maxEntries: SEARCH_CACHE_ENTRIES,
    now,
  });
  // Numbers this instance just saw ordered (or found taken): a cached search must not offer them again, or
  // the dialpad's automatic new search after number-unavailable would show the same taken number.
  const taken = new ExpiringSet({ ttlMs: settings.searchCacheSeconds * 1000, maxEntries: 1000, now });
  const healthAnswers = new TtlCache<Awaited<ReturnType<VoiceApp['health']>>>({
    ttlMs: settings.healthCacheSeconds * 1000,
    maxEntries: 1,
    now,
  });

  /** Counts one request against an hourly per-subject limit, or throws the refusal. */
  const count = async (kind: string, subject: string, limit: number, code: Refused, what: string) => {
    const result = await counters.take({ kind, subject, limit, windowMs: HOUR_MS });
    if (!result.ok) throw refusal(code, what, result.retryAfterSeconds);
  };

  return {
    // Every other method (and any a provider adds) is the core's own: they need a session or the webhook
    // credentials, so an anonymous client cannot reach them.
    ...core,
    health: () => healthAnswers.get('health', () => core.health()),
    async searchNumbers(query, origin) {
      await count(
        'searchAddress',
        addressOf(origin),
        settings.searchesPerAddressPerHour,
        'too-many-searches',
        'Too many number searches from your network.',
      );
      const { numbers } = await searches.get(searchKey(query), () => core.searchNumbers(query));
      return { numbers: offers.sign(numbers.filter((n) => !taken.has(n.number) && isLocalNumber(n.number))) };
    },
    async signUp(request, origin) {
      const signUp = async (r: SignUpRequest) => {
        try {
          const result = await core.signUp(r, origin);
          taken.add(result.session.user.number);
          return result;
        } catch (error) {
          if (isAppError(error) && error.code === 'number-unavailable' && typeof r.number === 'string') {
            taken.add(r.number.trim());
          }
          throw error;
        }
      };
      return guardedSignUp(
        { counters, offers, settings, signUp, userExists: (username) => core.userExists(username) },
        request,
        addressOf(origin),
      );
    },
    async logIn(request, origin) {
      const what = 'Too many log-in attempts';
      await count(
        'loginAddress',
        addressOf(origin),
        settings.loginsPerAddressPerHour,
        'too-many-logins',
        `${what} from your network.`,
      );
      const username = validUsername((request as Partial<typeof request> | undefined)?.username);
      if (username !== undefined) {
        await count(
          'loginUsername',
          username,
          settings.loginsPerUsernamePerHour,
          'too-many-logins',
          `${what} for this username.`,
        );
      }
      return core.logIn(request, origin);
    },
  };
}

/** The guard over Table Storage from the validated config (what createVoiceAppFromEnv uses). */
export function guardFromConfig(
  core: UnguardedVoiceApp,
  config: AppConfig,
  options: { logger?: Logger; tablePrefix?: string; storageTimeoutMs?: number } = {},
): VoiceApp {
  const table = createAzureEntityTable({
    ...clientAccess(config.storage, 'table'),
    tableName: `${options.tablePrefix ?? 'vra'}Limits`,
    timeoutMs: options.storageTimeoutMs,
    logger: options.logger,
  });
  return guardVoiceApp(core, {
    settings: config.limits,
    offerKey: deriveKeys(config.appSecret).numberOfferKey,
    table,
    logger: options.logger,
  });
}

type Refused = 'too-many-searches' | 'too-many-logins';

function addressOf(origin: RequestOrigin | undefined): string {
  return origin?.clientAddress || UNKNOWN_ADDRESS;
}

/** The username a log-in counts against, or undefined when it is not one (the core then says why). */
function validUsername(input: unknown): string | undefined {
  try {
    return normalizeUsername(input);
  } catch {
    return undefined;
  }
}

/** Equal searches share a cache entry however they were typed ("919" / " 919", "cary" / "Cary"). */
function searchKey(query: NumberSearchQuery | undefined): string {
  const q = query ?? {};
  const text = (value: unknown) => (typeof value === 'string' ? value.trim().toLowerCase() : (value ?? null));
  return JSON.stringify([text(q.areaCode), text(q.zip), text(q.city), text(q.state), text(q.quantity)]);
}
