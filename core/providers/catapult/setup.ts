// Catapult's one-time resources: ONE application (autoAnswer, POST callbacks to the webhook URL with its
// credentials) and ONE SIP domain. Names are planned (recorded) before anything is created, so a takeover
// after a crash finds them by name; the generic lease and takeover logic is bootstrap/bootstrap.ts.
import { createHash } from 'node:crypto';
import type { CatapultApi } from '../../catapult/catapult-api';
import { DOMAIN_SUFFIX_LENGTH } from '../../config';
import { randomSuffix } from '../../crypto/random';
import type { Logger } from '../../log';
import type { AppResources, ProviderSetup, SaveSetupState, SetupState } from '../../provider/voice-provider';
import { catapultStatus, mapCatapultError } from './map-error';
import { buildWebhookUrl, WEBHOOK_PATH } from './webhook-url';

export interface CatapultSetupDeps {
  client: CatapultApi;
  appName: string;
  domainName: string; // CATAPULT_DOMAIN_NAME: a random suffix is appended
  publicBaseUrl: string;
  webhookPassword: string;
  logger: Logger;
}

/** The Catapult part of a complete setup state (field names as stored in the bootstrap row). */
export type CatapultResources = {
  applicationId: string;
  domainId: string;
  domainName: string;
};

/** The typed view of the resources the bootstrapper hands back; they are complete once it has run. */
export function catapultResources(resources: AppResources): CatapultResources {
  const { applicationId, domainId, domainName } = resources;
  if (!applicationId || !domainId || !domainName) throw new Error('The Catapult set-up is incomplete.');
  return { applicationId, domainId, domainName };
}

export function createCatapultSetup(deps: CatapultSetupDeps): ProviderSetup {
  const { client } = deps;
  const webhookUrl = () => buildWebhookUrl(deps.publicBaseUrl, deps.webhookPassword);
  const shownUrl = () => deps.publicBaseUrl + WEBHOOK_PATH;
  const fingerprint = () => createHash('sha256').update(webhookUrl()).digest('hex');

  const ensureApplication = async (state: SetupState, save: SaveSetupState) => {
    if (state.applicationId) return state;
    try {
      let ours: { id: string; name: string } | undefined;
      for await (const application of client.listApplications({ size: 1000 })) {
        // Found by name = created by a crashed winner; its URL is re-checked by the webhook sync.
        if (application.name === state.applicationName) return save({ applicationId: application.id });
        if (carriesOurPassword(application.incomingCallUrl)) ours ??= application;
      }
      // A set-up row lost with local storage (Azurite killed before it saved) planned new names; the application
      // whose URL carries our webhook password (derived from APP_SECRET), whatever host or port it names, is ours:
      // adopt it and its domain's name instead of creating a second pair. Its URL is re-pointed by the sync.
      const prefix = `${deps.appName}-`;
      if (ours?.name.startsWith(prefix)) {
        deps.logger.warn('the set-up record was lost; adopting the application that carries our webhook password', {
          applicationId: ours.id,
        });
        return save({
          applicationId: ours.id,
          applicationName: ours.name,
          domainName: `${deps.domainName}-${ours.name.slice(prefix.length)}`,
        });
      }
      const { id } = await client.createApplication({
        name: field(state, 'applicationName'),
        incomingCallUrl: webhookUrl(),
        callbackHttpMethod: 'POST',
        autoAnswer: true,
      });
      return save({ applicationId: id, webhookFingerprint: fingerprint(), webhookUrlShown: shownUrl() });
    } catch (error) {
      throw mapCatapultError(error, 'application set-up');
    }
  };

  const carriesOurPassword = (url: string | undefined): boolean => {
    try {
      return decodeURIComponent(new URL(url ?? '').password) === deps.webhookPassword;
    } catch {
      return false; // no URL, or not one this app could have written
    }
  };

  const ensureDomain = async (state: SetupState, save: SaveSetupState) => {
    if (state.domainId) return state;
    try {
      for await (const domain of client.listDomains({ size: 100 })) {
        if (domain.name === state.domainName) return save({ domainId: domain.id });
      }
      for (let attempt = 0; ; attempt++) {
        try {
          const { id } = await client.createDomain({
            name: field(state, 'domainName'),
            description: `${deps.appName} SIP domain`,
          });
          return await save({ domainId: id });
        } catch (error) {
          // Domain names are global DNS labels: on a clash, plan another name (recorded first) and retry.
          if (catapultStatus(error) !== 409 || attempt >= 2) throw error;
          state = await save({ domainName: `${deps.domainName}-${randomSuffix(DOMAIN_SUFFIX_LENGTH)}` });
        }
      }
    } catch (error) {
      throw mapCatapultError(error, 'domain set-up');
    }
  };

  return {
    plan() {
      const suffix = randomSuffix(DOMAIN_SUFFIX_LENGTH);
      return { applicationName: `${deps.appName}-${suffix}`, domainName: `${deps.domainName}-${suffix}` };
    },
    isComplete: (state) => !!state.applicationId && !!state.domainId,
    async create(state, save) {
      return ensureDomain(await ensureApplication(state, save), save);
    },
    webhook: () => ({ fingerprint: fingerprint(), shownUrl: shownUrl() }),
    async syncWebhook(state) {
      try {
        await client.updateApplication(field(state, 'applicationId'), {
          incomingCallUrl: webhookUrl(),
          callbackHttpMethod: 'POST',
          autoAnswer: true,
        });
        return 'synced';
      } catch (error) {
        if (catapultStatus(error) === 404) {
          deps.logger.warn('the stored Catapult application is gone; creating a new one', {
            applicationId: state.applicationId,
          });
          return { gone: true, forget: ['applicationId', 'webhookFingerprint'] };
        }
        throw mapCatapultError(error, 'application update');
      }
    },
    resources(state) {
      // Only what is known: a cleared ('') or missing id is left out.
      const known: Record<string, string> = {};
      for (const field of ['applicationId', 'domainId', 'domainName'] as const) {
        const value = state[field];
        if (value) known[field] = value;
      }
      return known;
    },
  };
}

/** A field the bootstrapper guarantees at this point (planned before `create`, an id before a sync). */
function field(state: SetupState, name: 'applicationName' | 'domainName' | 'applicationId'): string {
  const value = state[name];
  if (!value) throw new Error(`The bootstrap state has no ${name}.`);
  return value;
}
