// Bandwidth's one-time resources (docs/contracts/bandwidth-v2.md §3): a Voice-V2 application whose
// CallInitiatedCallbackUrl / CallStatusCallbackUrl are the app's callback function and whose CallbackCreds are the
// Basic credentials derived from APP_SECRET; a site and a location (SIP peer) — or the ones configured with
// BANDWIDTH_SITE_ID / BANDWIDTH_LOCATION_ID — and origination settings pointing the location's numbers at the
// application. Each is found by its planned name (a crashed creator's work is taken over, not duplicated) or
// created, and its id saved the moment it is known; the lease and takeover logic is bootstrap/bootstrap.ts.
import { createHash } from 'node:crypto';
import { DOMAIN_SUFFIX_LENGTH } from '../../config';
import { randomSuffix } from '../../crypto/random';
import type { Logger } from '../../log';
import type { AppResources, ProviderSetup, SaveSetupState, SetupState } from '../../provider/voice-provider';
import { CALLBACKS_PATH, callbackUrl } from './callback-urls';
import { bandwidthStatus, mapBandwidthError } from './map-error';
import type { SetupApi } from './numbers-setup-api';

export interface BandwidthSetupDeps {
  api: SetupApi;
  appName: string;
  publicBaseUrl: string;
  /** The application's CallbackCreds (Basic auth Bandwidth sends back on every callback). */
  webhookUsername: string;
  webhookPassword: string;
  /** BANDWIDTH_SITE_ID / BANDWIDTH_LOCATION_ID: reuse these instead of creating a site and a location. */
  siteId?: string;
  locationId?: string;
  logger: Logger;
}

/** The Bandwidth part of a complete setup state (field names as stored in the bootstrap row). */
export interface BandwidthResources {
  applicationId: string;
  siteId: string;
  locationId: string;
}

/** The typed view of the resources the bootstrapper hands back; they are complete once it has run. */
export function bandwidthResources(resources: AppResources): BandwidthResources {
  const { applicationId, siteId, locationId } = resources;
  if (!applicationId || !siteId || !locationId) throw new Error('The Bandwidth set-up is incomplete.');
  return { applicationId, siteId, locationId };
}

export function createBandwidthSetup(deps: BandwidthSetupDeps): ProviderSetup {
  const { api } = deps;
  const callbacks = () => ({
    callInitiatedCallbackUrl: callbackUrl(deps.publicBaseUrl, 'initiate'),
    callStatusCallbackUrl: callbackUrl(deps.publicBaseUrl, 'status'),
    callbackCreds: { userId: deps.webhookUsername, password: deps.webhookPassword },
  });
  const shownUrl = () => deps.publicBaseUrl + CALLBACKS_PATH;
  // Covers the URLs AND the credentials: a new APP_SECRET must reach Bandwidth as much as a new PUBLIC_BASE_URL.
  const fingerprint = () => createHash('sha256').update(JSON.stringify(callbacks())).digest('hex');
  const step = async <T>(what: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw mapBandwidthError(error, what);
    }
  };

  const ensureApplication = (state: SetupState, save: SaveSetupState) =>
    step('application set-up', async () => {
      if (state.applicationId) return state;
      const name = field(state, 'applicationName');
      // Found by name = created by a crashed winner; its callbacks are brought in step by the sync that follows.
      const found = (await api.listApplications()).find((a) => a.name === name && a.serviceType === 'Voice-V2');
      if (found) return save({ applicationId: found.id });
      const id = await api.createVoiceApplication({ appName: name, ...callbacks() });
      return save({ applicationId: id, webhookFingerprint: fingerprint(), webhookUrlShown: shownUrl() });
    });

  const ensureSite = (state: SetupState, save: SaveSetupState) =>
    step('site set-up', async () => {
      if (state.siteId) return state;
      if (deps.siteId) return save({ siteId: (await api.getSite(deps.siteId)).id });
      const name = field(state, 'siteName');
      const found = (await api.listSites()).find((s) => s.name === name);
      if (found) return save({ siteId: found.id });
      return save({ siteId: await api.createSite(name, `${deps.appName}: numbers of the voice reference app`) });
    });

  const ensureLocation = (state: SetupState, save: SaveSetupState) =>
    step('location set-up', async () => {
      if (state.locationId) return state;
      const siteId = field(state, 'siteId');
      if (deps.locationId) return save({ locationId: (await api.getLocation(siteId, deps.locationId)).id });
      const name = field(state, 'locationName');
      const found = (await api.listLocations(siteId)).find((p) => p.name === name);
      if (found) return save({ locationId: found.id });
      // The app's own site: its location may be the default. A configured site keeps its own default.
      const isDefault = deps.siteId === undefined;
      const description = `${deps.appName}: calls go to the voice reference app`;
      return save({ locationId: await api.createLocation(siteId, name, description, isDefault) });
    });

  const ensureOrigination = (state: SetupState, save: SaveSetupState) =>
    step('origination settings', async () => {
      const applicationId = field(state, 'applicationId');
      if (state.originationApplicationId === applicationId) return state;
      const siteId = field(state, 'siteId');
      const locationId = field(state, 'locationId');
      const current = await api.getOrigination(siteId, locationId);
      if (current.applicationId !== applicationId) {
        if (current.applicationId) {
          deps.logger.warn('the location called another application; pointing it at this app', {
            locationId,
            previousApplicationId: current.applicationId,
          });
        }
        await api.setOriginationApplication(siteId, locationId, applicationId, !current.exists);
      }
      return save({ originationApplicationId: applicationId });
    });

  return {
    plan() {
      const suffix = randomSuffix(DOMAIN_SUFFIX_LENGTH);
      return {
        applicationName: `${deps.appName}-${suffix}`,
        ...(deps.siteId ? {} : { siteName: `${deps.appName}-${suffix}` }),
        ...(deps.locationId ? {} : { locationName: `${deps.appName}-${suffix}` }),
      };
    },
    isComplete: (state) =>
      !!state.applicationId &&
      !!state.siteId &&
      !!state.locationId &&
      state.originationApplicationId === state.applicationId,
    async create(state, save) {
      // A set-up started without BANDWIDTH_SITE_ID/LOCATION_ID and finished with them (or the reverse) needs the
      // names it was planned with: plan them now if the row lacks them.
      if (!deps.siteId && !state.siteId && !state.siteName) state = await save({ siteName: state.applicationName });
      if (!deps.locationId && !state.locationId && !state.locationName)
        state = await save({ locationName: state.applicationName });
      state = await ensureApplication(state, save);
      state = await ensureSite(state, save);
      state = await ensureLocation(state, save);
      return ensureOrigination(state, save);
    },
    webhook: () => ({ fingerprint: fingerprint(), shownUrl: shownUrl() }),
    async syncWebhook(state) {
      try {
        await api.updateVoiceApplication(field(state, 'applicationId'), callbacks());
        return 'synced';
      } catch (error) {
        if (bandwidthStatus(error) === 404) {
          deps.logger.warn('the stored Bandwidth application is gone; creating a new one', {
            applicationId: state.applicationId,
          });
          // The location must be pointed at the new application too.
          return { gone: true, forget: ['applicationId', 'webhookFingerprint', 'originationApplicationId'] };
        }
        throw mapBandwidthError(error, 'application update');
      }
    },
    resources(state) {
      const known: Record<string, string> = {};
      for (const name of ['applicationId', 'siteId', 'locationId'] as const) {
        const value = state[name];
        if (value) known[name] = value;
      }
      return known;
    },
  };
}

/** A field the bootstrapper or an earlier step guarantees at this point. */
function field(state: SetupState, name: string): string {
  const value = state[name];
  if (!value) throw new Error(`The bootstrap state has no ${name}.`);
  return value;
}
