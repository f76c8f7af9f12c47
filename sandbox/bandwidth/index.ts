// The Bandwidth side of the sandbox: OAuth, the Numbers API, the Voice API with BXML and callbacks, the In-App
// Calling gateway, and its control API — all on the sandbox's one HTTP server. server.ts mounts it when
// `platform: 'bandwidth'` is chosen.
import type { Server } from 'node:http';
import { Delays } from '../faults/delays';
import { FaultRegistry } from '../faults/fault-registry';
import { RequestLog } from '../rest/request-log';
import {
  resolveCredentials,
  resolveSettings,
  type BandwidthCredentials,
  type BandwidthOptions,
  type BandwidthSettings,
} from './bandwidth-options';
import { mountBandwidthControl } from './control-routes';
import { BwRouter } from './http/bw-router';
import { TokenIssuer } from './http/oauth';
import { mountApplications } from './numbers/applications';
import { mountAvailableNumbers } from './numbers/available-numbers';
import { mountDisconnects } from './numbers/disconnects';
import { NumbersStore } from './numbers/numbers-store';
import { mountOrders } from './numbers/orders';
import { Scheduler } from './numbers/scheduler';
import { mountSites } from './numbers/sites';
import { PhoneNetwork } from '../phone-network/phone-network';
import type { Directory } from '../context';
import { CallEngine } from './voice/call-engine';
import { mountCallControl } from './voice/call-control-routes';
import { mountVoiceRoutes } from './voice/voice-routes';
import { mountRecordingRoutes } from './voice/recording-routes';
import { GatewayService } from './gateway/gateway-service';
import { attachSipWebSocket } from '../sip/sip-websocket';

export const GATEWAY_PATH = '/bandwidth/webrtc';
export const OAUTH_PATH = '/api/v1/oauth2/token';

/** What the app needs to reach this Bandwidth: URLs and both credentials. */
export interface BandwidthSurface extends BandwidthCredentials {
  apiUrl: string; // BANDWIDTH_API_URL: Numbers API at `${apiUrl}/api/accounts/{accountId}/…`
  voiceUrl: string; // BANDWIDTH_VOICE_URL: Voice API at `${voiceUrl}/api/v2/accounts/{accountId}/…`
  oauthUrl: string; // BANDWIDTH_OAUTH_URL: the token endpoint itself
  /**
   * BANDWIDTH_WEBRTC_OAUTH_URL: where the app mints In-App Calling tokens with the WebRTC credential
   * (docs/contracts/bandwidth-v2.md §1.3). Here it is the same token endpoint as `oauthUrl`: the credential, not the
   * URL, decides what a token opens.
   */
  webrtcOauthUrl: string;
  gatewayUrl: string; // BANDWIDTH_WEBRTC_GATEWAY_URL: SIP over WebSocket (In-App Calling)
  /** The environment variables the app reads, with these values. */
  env: Record<string, string>;
}

export interface BandwidthModule {
  router: BwRouter;
  surface: BandwidthSurface;
  store: NumbersStore;
  settings: BandwidthSettings;
  engine: CallEngine;
  close(): Promise<void>;
}

export interface MountBandwidthOptions {
  server: Server;
  baseUrl: string;
  seed?: string;
  now: () => number;
  log: (message: string, fields?: Record<string, unknown>) => void;
  options: BandwidthOptions;
}

export function mountBandwidth(input: MountBandwidthOptions): BandwidthModule {
  const { baseUrl, now, log } = input;
  const credentials = resolveCredentials(input.options);
  const settings = resolveSettings(input.options);
  const tokens = new TokenIssuer(
    [
      { clientId: credentials.clientId, clientSecret: credentials.clientSecret, role: 'account' },
      { clientId: credentials.webrtcClientId, clientSecret: credentials.webrtcClientSecret, role: 'webrtc' },
    ],
    { now, ttlSeconds: () => settings.tokenTtlSeconds },
  );
  const faults = new FaultRegistry();
  const requestLog = new RequestLog();
  const delays = new Delays();
  const router = new BwRouter({
    baseUrl,
    accountId: credentials.accountId,
    tokens,
    faults,
    requestLog,
    delays,
    log,
    ...(input.options.observeRequest ? { observeRequest: input.options.observeRequest } : {}),
  });
  const store = new NumbersStore(input.seed);
  const scheduler = new Scheduler(settings, now);

  router.add(
    'POST',
    OAUTH_PATH,
    'oauth',
    (request) => ({
      status: 200,
      headers: { 'Cache-Control': 'no-store' },
      body: tokens.issue(request.headers.authorization, request.headers['content-type'], request.body),
    }),
    'none',
  );
  mountAvailableNumbers(router, store);
  mountOrders(router, store, scheduler);
  mountDisconnects(router, store, scheduler);
  mountApplications(router, store);
  mountSites(router, store);
  mountBandwidthControl(router, { settings, store, scheduler, tokens, faults, requestLog });

  // The simulated phone network, as on the Catapult side: every number the account does not own is an outside
  // phone. Only `findNumber` matters to it; the Catapult-only lookups find nothing here.
  const directory: Directory = {
    findNumber: (e164) => {
      const owned = store.findNumber(e164);
      return owned ? { userId: credentials.accountId, numberId: owned.tn, number: owned.e164 } : undefined;
    },
    getApplication: () => undefined,
    findEndpoint: () => undefined,
    findEndpointByToken: () => undefined,
    getAccount: () => undefined,
  };
  const phones = new PhoneNetwork({ directory, log });
  const engine = new CallEngine({
    accountId: credentials.accountId,
    voiceUrl: baseUrl,
    store,
    settings,
    now,
    log,
    ringers: [phones.outsidePhones],
  });
  mountVoiceRoutes(router, engine, settings);
  mountRecordingRoutes(router, engine);
  mountCallControl(router, engine, phones);

  const gateway = new GatewayService({ engine, tokens, hostport: new URL(baseUrl).host, now, log });
  const gatewaySocket = attachSipWebSocket({ server: input.server, service: gateway, path: GATEWAY_PATH, log });
  router.add(
    'GET',
    '/sandbox/bandwidth/gateway/registrations',
    'control',
    () => ({ status: 200, body: gateway.registrationList() }),
    'none',
  );

  const gatewayUrl = `${baseUrl.replace(/^http/, 'ws')}${GATEWAY_PATH}`;
  const oauthUrl = `${baseUrl}${OAUTH_PATH}`;
  const surface: BandwidthSurface = {
    ...credentials,
    apiUrl: baseUrl,
    voiceUrl: baseUrl,
    oauthUrl,
    webrtcOauthUrl: oauthUrl,
    gatewayUrl,
    env: {
      BANDWIDTH_ACCOUNT_ID: credentials.accountId,
      BANDWIDTH_CLIENT_ID: credentials.clientId,
      BANDWIDTH_CLIENT_SECRET: credentials.clientSecret,
      BANDWIDTH_WEBRTC_CLIENT_ID: credentials.webrtcClientId,
      BANDWIDTH_WEBRTC_CLIENT_SECRET: credentials.webrtcClientSecret,
      BANDWIDTH_API_URL: baseUrl,
      BANDWIDTH_VOICE_URL: baseUrl,
      BANDWIDTH_OAUTH_URL: oauthUrl,
      BANDWIDTH_WEBRTC_OAUTH_URL: oauthUrl,
      BANDWIDTH_WEBRTC_GATEWAY_URL: gatewayUrl,
      // `from` of every In-App call's initiate, as started (PUT /settings may change it later).
      BANDWIDTH_IN_APP_NUMBERS: settings.inAppCallingNumber,
    },
  };
  log('bandwidth sandbox mounted', { accountId: credentials.accountId });
  return {
    router,
    surface,
    store,
    settings,
    engine,
    close: async () => {
      delays.cancelAll();
      scheduler.close();
      gateway.close();
      await gatewaySocket.close();
      phones.close();
      engine.close();
    },
  };
}
