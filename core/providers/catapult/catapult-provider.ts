// Catapult v1 behind the VoiceProvider seam: an application + SIP domain per app, a SIP endpoint per user,
// numbers allocated synchronously with a name marker, endpoint tokens for the dialpad, REST call control.
import type { CatapultApi } from '../../catapult/catapult-api';
import type { Logger } from '../../log';
import type { AppResources, VoiceProvider } from '../../provider/voice-provider';
import { createCatapultCalls } from './calls';
import { createCatapultIdentities } from './identities';
import { mapCatapultError } from './map-error';
import { createCatapultNumbers } from './numbers';
import { catapultResources, createCatapultSetup } from './setup';
import { createCatapultUpkeep } from './upkeep';
import { createCatapultWebhooks } from './webhooks';

export interface CatapultProviderDeps {
  client: CatapultApi;
  appName: string;
  domainName: string; // CATAPULT_DOMAIN_NAME
  publicBaseUrl: string;
  sipWebsocketUrl: string;
  /** The Basic password Catapult sends back on every callback (derived from APP_SECRET). */
  webhookPassword: string;
  /** Signs each transferred call's callback URL (derived from APP_SECRET; never sent to Catapult on its own). */
  webhookSigningKey: Buffer;
  /** The app's resources, set up on first use (the bootstrapper, built around this provider's setup part). */
  resources: () => Promise<AppResources>;
  /** What is known of them without creating anything (for webhooks and health). */
  knownResources: (fresh?: boolean) => Promise<AppResources | undefined>;
  /** How long a user's dialpad rings before the call goes to voicemail (a transfer's callTimeout). */
  ringTimeoutMs?: number;
  logger: Logger;
  now: () => number;
}

const WEBRTC_TOKEN_SECONDS = 3600;

export function createCatapultProvider(deps: CatapultProviderDeps): VoiceProvider {
  const { client } = deps;
  const resources = async () => catapultResources(await deps.resources());
  return {
    name: 'catapult',
    label: 'Catapult',
    setup: createCatapultSetup(deps),
    numbers: createCatapultNumbers(client, resources),
    identities: createCatapultIdentities(client, resources),
    browser: {
      async token(user) {
        const { domainId } = await resources();
        try {
          const token = await client.createEndpointToken(domainId, user.identityRef ?? '', WEBRTC_TOKEN_SECONDS);
          return {
            provider: 'catapult',
            token: token.token,
            expiresAt: new Date(deps.now() + token.expires * 1000).toISOString(),
            sipUri: user.sipUri ?? '',
            websocketUrl: deps.sipWebsocketUrl,
            headerName: 'X-Callsign-Token',
          };
        } catch (error) {
          throw mapCatapultError(error, 'WebRTC token');
        }
      },
    },
    sipCredentials: {
      async read(user, password) {
        return {
          sipUri: user.sipUri ?? '',
          username: user.username,
          password: await password(),
          realm: user.realm ?? '',
          websocketUrl: deps.sipWebsocketUrl,
        };
      },
    },
    webhooks: createCatapultWebhooks(deps),
    calls: createCatapultCalls(deps),
    upkeep: createCatapultUpkeep(client, deps.appName),
    async health() {
      try {
        const known = await deps.knownResources().catch(() => undefined);
        if (known?.applicationId) return await client.getApplication(known.applicationId);
        for await (const application of client.listApplications({ size: 1 })) return application;
        return undefined; // an account without applications yet still answered: Catapult is reachable
      } catch (error) {
        throw mapCatapultError(error, 'health check');
      }
    },
  };
}
