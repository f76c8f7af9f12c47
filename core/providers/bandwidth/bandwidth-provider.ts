// Bandwidth's current platform behind the VoiceProvider seam: a Voice-V2 application + site + location per app,
// numbers ordered asynchronously into that location, no per-user identity (a dialpad proves its user with a token
// the app signs), In-App Calling tokens of a narrow credential for the dialpad, BXML answers to callbacks.
// The callback side (`webhooks`, `calls`) is built by its own modules and handed in.
import type { CallTokenKeys } from '../../auth/call-tokens';
import { AppError } from '../../errors';
import type { Logger } from '../../log';
import type {
  AppResources,
  ProviderCalls,
  ProviderIdentities,
  ProviderSipCredentials,
  ProviderWebhooks,
  VoiceProvider,
} from '../../provider/voice-provider';
import { createBandwidthBrowser } from './browser';
import { mapBandwidthError } from './map-error';
import type { NumbersApi } from './numbers-api';
import { createBandwidthNumbers } from './numbers';
import type { SetupApi } from './numbers-setup-api';
import type { OAuthClient } from './oauth';
import { bandwidthResources, createBandwidthSetup } from './setup';

/** The UserId of the application's CallbackCreds (its password is derived from APP_SECRET). */
export const BANDWIDTH_WEBHOOK_USERNAME = 'bandwidth';

export interface BandwidthProviderDeps {
  numbersApi: NumbersApi;
  setupApi: SetupApi;
  /** The In-App Calling credential's token cache. */
  webrtcOAuth: OAuthClient;
  gatewayUrl: string;
  appName: string;
  publicBaseUrl: string;
  siteId?: string;
  locationId?: string;
  webhookPassword: string;
  callTokenKeys: CallTokenKeys;
  resources: () => Promise<AppResources>;
  knownResources: () => Promise<AppResources | undefined>;
  webhooks: ProviderWebhooks;
  calls: ProviderCalls;
  logger: Logger;
  now: () => number;
  /** Order polling bounds (numbers.ts defaults when absent). */
  orderWaitMs?: number;
  orderPollMs?: number;
}

const NO_SIP_ACCOUNT =
  'Bandwidth offers no per-user SIP account in this app: calls go through the dialpad (In-App Calling).';

/** Bandwidth has no per-user calling identity here: the username is the identity (voice-provider.ts). */
export const bandwidthIdentities: ProviderIdentities = {
  usesPassword: false,
  createOrAdopt: async () => undefined,
  read: async () => ({}),
  find: async () => undefined,
  delete: async () => undefined,
  setPassword: async () => {
    throw new AppError('sip-account-unavailable', NO_SIP_ACCOUNT);
  },
};

export const bandwidthSipCredentials: ProviderSipCredentials = {
  read: async () => {
    throw new AppError('sip-account-unavailable', NO_SIP_ACCOUNT);
  },
};

export function createBandwidthProvider(deps: BandwidthProviderDeps): VoiceProvider {
  const resources = async () => bandwidthResources(await deps.resources());
  return {
    name: 'bandwidth',
    label: 'Bandwidth',
    setup: createBandwidthSetup({
      api: deps.setupApi,
      appName: deps.appName,
      publicBaseUrl: deps.publicBaseUrl,
      webhookUsername: BANDWIDTH_WEBHOOK_USERNAME,
      webhookPassword: deps.webhookPassword,
      ...(deps.siteId ? { siteId: deps.siteId } : {}),
      ...(deps.locationId ? { locationId: deps.locationId } : {}),
      logger: deps.logger,
    }),
    numbers: createBandwidthNumbers({
      api: deps.numbersApi,
      resources,
      logger: deps.logger,
      now: deps.now,
      ...(deps.orderWaitMs === undefined ? {} : { orderWaitMs: deps.orderWaitMs }),
      ...(deps.orderPollMs === undefined ? {} : { orderPollMs: deps.orderPollMs }),
    }),
    identities: bandwidthIdentities,
    browser: createBandwidthBrowser({
      webrtcOAuth: deps.webrtcOAuth,
      gatewayUrl: deps.gatewayUrl,
      callTokenKeys: deps.callTokenKeys,
      now: deps.now,
    }),
    sipCredentials: bandwidthSipCredentials,
    webhooks: deps.webhooks,
    calls: deps.calls,
    async health() {
      // One authenticated read, creating nothing: the app's application when set up, else the application list.
      try {
        const known = await deps.knownResources().catch(() => undefined);
        if (known?.applicationId) return await deps.setupApi.getApplication(known.applicationId);
        return await deps.setupApi.listApplications();
      } catch (error) {
        throw mapBandwidthError(error, 'health check');
      }
    },
  };
}
