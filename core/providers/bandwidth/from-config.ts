// Builds the Bandwidth provider from a validated config (called by the composition root, create-voice-app.ts):
// two OAuth token caches — the account credential's (Numbers and Voice APIs) and the narrow In-App Calling one,
// whose tokens go to browsers — the Numbers API client, and the parts.
import type { CallTokenKeys } from '../../auth/call-tokens';
import type { BandwidthAppConfig } from '../../config';
import type { Logger } from '../../log';
import type { AppResources, ProviderCalls, ProviderWebhooks, VoiceProvider } from '../../provider/voice-provider';
import { createBandwidthProvider } from './bandwidth-provider';
import { webrtcRefreshMargin } from './browser';
import { createNumbersApi } from './numbers-api';
import { createNumbersHttp, type NumbersHttpOptions } from './numbers-http';
import { createSetupApi } from './numbers-setup-api';
import { createOAuthClient, tokenSource } from './oauth';

/** What tests (and the dev stack) may change: the fetch the clients use, retry limits, order polling. */
export interface BandwidthTestOptions {
  fetch?: typeof fetch;
  numbersHttp?: Pick<NumbersHttpOptions, 'timeoutMs' | 'maxAttempts' | 'maxRetryWaitMs'>;
  orderWaitMs?: number;
  orderPollMs?: number;
}

export interface BandwidthContext extends BandwidthTestOptions {
  logger: Logger;
  now: () => number;
  webhookPassword: string;
  callTokenKeys: CallTokenKeys;
  resources: () => Promise<AppResources>;
  knownResources: () => Promise<AppResources | undefined>;
  webhooks: ProviderWebhooks;
  calls: ProviderCalls;
}

export function createBandwidthFromConfig(config: BandwidthAppConfig, context: BandwidthContext): VoiceProvider {
  const { logger, now } = context;
  const settings = config.bandwidth;
  const withFetch = context.fetch ? { fetch: context.fetch } : {};
  const accountOAuth = createOAuthClient({
    tokenUrl: settings.oauthUrl,
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    label: 'account',
    logger,
    now,
    ...withFetch,
  });
  const webrtcOAuth = createOAuthClient({
    tokenUrl: settings.webrtcOauthUrl,
    clientId: settings.webrtcClientId,
    clientSecret: settings.webrtcClientSecret,
    label: 'In-App Calling',
    refreshMargin: webrtcRefreshMargin,
    logger,
    now,
    ...withFetch,
  });
  const http = createNumbersHttp({
    apiUrl: settings.apiUrl,
    accountId: settings.accountId,
    accessToken: tokenSource(accountOAuth),
    logger,
    now,
    ...withFetch,
    ...context.numbersHttp,
  });
  return createBandwidthProvider({
    numbersApi: createNumbersApi(http),
    setupApi: createSetupApi(http),
    webrtcOAuth,
    gatewayUrl: settings.webrtcGatewayUrl,
    appName: config.appName,
    publicBaseUrl: config.publicBaseUrl,
    ...(settings.siteId ? { siteId: settings.siteId } : {}),
    ...(settings.locationId ? { locationId: settings.locationId } : {}),
    webhookPassword: context.webhookPassword,
    callTokenKeys: context.callTokenKeys,
    resources: context.resources,
    knownResources: context.knownResources,
    webhooks: context.webhooks,
    calls: context.calls,
    logger,
    now,
    ...(context.orderWaitMs === undefined ? {} : { orderWaitMs: context.orderWaitMs }),
    ...(context.orderPollMs === undefined ? {} : { orderPollMs: context.orderPollMs }),
  });
}
