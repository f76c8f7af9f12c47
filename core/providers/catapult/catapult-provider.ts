// Catapult v1 behind the VoiceProvider seam: an application + SIP domain per app, a SIP endpoint per user,
// numbers allocated synchronously with a name marker, endpoint tokens for the dialpad, REST call control.
import type { CatapultApi } from '../../catapult/catapult-api';
import type { Logger } from '../../log';
import type { AppResources, VoiceProvider } from '../../provider/voice-provider';
import { createCatapultCalls } from './calls';
import { createCatapultIdentities } from './identities';
import { CATAPULT_FAULTS, mapCatapultError } from './map-error';
import { createCatapultNumbers } from './numbers';
import { createCatapultSetup } from './setup';
import { createCatapultWebhooks } from './webhooks';

export interface CatapultProviderDeps {
  client: CatapultApi;
  appName: string;
  domainName: string;
  publicBaseUrl: string;
  sipWebsocketUrl: string;
  webhookPassword: string;
  /** The app's resources, set up on first use (bootstrap). */
  resources: () => Promise<AppResources>;
  /** What is known of them without creating anything (for webhooks and health). */
  knownResources: () => Promise<Partial<AppResources> | undefined>;
  logger: Logger;
  now: () => number;
}

const WEBRTC_TOKEN_SECONDS = 3600;

export function createCatapultProvider(deps: CatapultProviderDeps): VoiceProvider {
  const { client } = deps;
  return {
    name: 'catapult',
    label: 'Catapult',
    faults: CATAPULT_FAULTS,
    setup: createCatapultSetup({ ...deps, client }),
    numbers: createCatapultNumbers(client, deps.resources),
    identities: createCatapultIdentities(client, deps.resources),
    browser: {
      async token(user) {
        const { domainId } = await deps.resources();
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
    calls: createCatapultCalls({ ...deps, client }),
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
