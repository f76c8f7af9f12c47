// Builds the Bandwidth provider from a validated config (called by the composition root, create-voice-app.ts):
// two OAuth token caches — the account credential's (Numbers and Voice APIs) and the narrow In-App Calling one,
// whose tokens go to browsers — the Numbers API client, and the parts.
import type { CallTokenKeys } from '../../auth/call-tokens';
import type { BandwidthAppConfig } from '../../config';
import type { Logger } from '../../log';
import type { UserNotifier } from '../../notifications/user-notifier';
import type { AppResources, VoiceProvider } from '../../provider/voice-provider';
import { BANDWIDTH_WEBHOOK_USERNAME, createBandwidthProvider } from './bandwidth-provider';
import { webrtcRefreshMargin } from './browser';
import { createBandwidthCalls } from './calls';
import { createNumbersApi } from './numbers-api';
import { createNumbersHttp, type NumbersHttpOptions } from './numbers-http';
import { createSetupApi } from './numbers-setup-api';
import { createOAuthClient, tokenSource } from './oauth';
import { createVoiceApi, type VoiceApiOptions } from './voice-api';
import { createBandwidthWebhooks } from './webhooks';

/** What tests (and the dev stack) may change: the fetch the clients use, retry limits, order polling. */
export interface BandwidthTestOptions {
  fetch?: typeof fetch;
  numbersHttp?: Pick<NumbersHttpOptions, 'timeoutMs' | 'maxAttempts' | 'maxRetryWaitMs'>;
  voiceApi?: Pick<VoiceApiOptions, 'timeoutMs' | 'maxAttempts' | 'maxRetryWaitMs'>;
  orderWaitMs?: number;
  orderPollMs?: number;
}

export interface BandwidthContext extends BandwidthTestOptions {
  logger: Logger;
  now: () => number;
  webhookPassword: string;
  /** Signs and checks the call a callback URL names (crypto/call-marker-signature.ts). */
  webhookSigningKey: Buffer;
  callTokenKeys: CallTokenKeys;
  resources: () => Promise<AppResources>;
  knownResources: () => Promise<AppResources | undefined>;
  /** The incoming-call channel: a call to a user rings their dialpads through it. */
  notifier: UserNotifier;
  /** How long a parked call rings before it ends unanswered (calls.ts default when absent). */
  ringTimeoutMs?: number;
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
  const voiceApi = createVoiceApi({
    voiceUrl: settings.voiceUrl,
    accountId: settings.accountId,
    accessToken: tokenSource(accountOAuth),
    logger,
    ...withFetch,
    ...context.voiceApi,
  });
  const webhooks = createBandwidthWebhooks({
    webhookUsername: BANDWIDTH_WEBHOOK_USERNAME,
    webhookPassword: context.webhookPassword,
    webhookSigningKey: context.webhookSigningKey,
    callTokenKeys: context.callTokenKeys,
    knownResources: context.knownResources,
    inAppNumbers: settings.inAppNumbers,
    logger,
    now,
  });
  const calls = createBandwidthCalls({
    voiceApi,
    notifier: context.notifier,
    callTokenKeys: context.callTokenKeys,
    publicBaseUrl: config.publicBaseUrl,
    webhookSigningKey: context.webhookSigningKey,
    ...(context.ringTimeoutMs === undefined ? {} : { ringTimeoutMs: context.ringTimeoutMs }),
    logger,
    now,
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
    webhooks,
    calls,
    logger,
    now,
    ...(context.orderWaitMs === undefined ? {} : { orderWaitMs: context.orderWaitMs }),
    ...(context.orderPollMs === undefined ? {} : { orderPollMs: context.orderPollMs }),
  });
}
