// Finds or creates the app's ONE Catapult application and ONE domain, stores their ids, keeps them in
// memory, and keeps the application's incoming-call URL in step with PUBLIC_BASE_URL.
// Concurrent cold starts: one wins a lease row (createEntity) and records the names it WILL create before
// creating anything, so a takeover after a crash finds them by name instead of creating more; the others
// poll the state row, bounded.
import { createHash, randomUUID } from 'node:crypto';
import type { CatapultApi } from '../catapult/catapult-api';
import { DOMAIN_SUFFIX_LENGTH, type AppConfig } from '../config';
import { buildWebhookUrl, WEBHOOK_PATH } from '../auth/webhook-auth';
import { randomSuffix } from '../crypto/random';
import { AppError } from '../errors';
import type { Logger } from '../log';
import { catapultStatus, mapCatapultError } from '../map-catapult-error';
import type { BootstrapState, BootstrapStore } from '../storage/bootstrap-store';
import { isStorageConflict, type Stored } from '../storage/entity-table';

export interface AppResources {
  applicationId: string;
  domainId: string;
  domainName: string;
}

export interface BootstrapOptions {
  catapult: CatapultApi;
  store: BootstrapStore;
  config: AppConfig;
  webhookPassword: string;
  logger: Logger;
  leaseTtlMs?: number; // default 30 s
  waitMs?: number; // how long a loser waits for the winner, default 20 s
  pollMs?: number; // default 250 ms
}

export class Bootstrapper {
  private cached?: AppResources;
  private peeked?: AppResources;
  private running?: Promise<AppResources>;

  constructor(private readonly options: BootstrapOptions) {}

  /** The ids, creating the resources on first use. Cached; a failure is not cached. */
  ensure(): Promise<AppResources> {
    if (this.cached) return Promise.resolve(this.cached);
    this.running ??= this.run().then(
      (resources) => {
        this.cached = resources;
        this.running = undefined;
        return resources;
      },
      (error) => {
        this.running = undefined;
        throw error;
      },
    );
    return this.running;
  }

  /** What is known without creating anything (memory, then storage): for health and webhook checks. */
  async peek(): Promise<Partial<AppResources> | undefined> {
    if (this.cached ?? this.peeked) return this.cached ?? this.peeked;
    const state = await this.options.store.getState();
    if (!state) return undefined;
    const known = { applicationId: state.applicationId, domainId: state.domainId, domainName: state.domainName };
    // Complete ids never change, so webhook calls need not read storage for them again.
    if (isComplete(state)) this.peeked = known as AppResources;
    return known;
  }

  private async run(): Promise<AppResources> {
    try {
      return await this.runOnce();
    } catch (error) {
      // ApplicationGone: the stored application was deleted in Catapult, so set up a new one.
      // StorageConflict: another instance changed the state row meanwhile (e.g. it took over an
      // expired lease); the next pass reads its result instead of failing.
      if (!(error instanceof ApplicationGone) && !isStorageConflict(error)) throw error;
      return this.runOnce();
    }
  }

  private async runOnce(): Promise<AppResources> {
    const { store, logger } = this.options;
    const waitMs = this.options.waitMs ?? 20_000;
    let state = await store.getState();
    if (isComplete(state)) return this.syncWebhookUrl(state);
    const owner = randomUUID();
    const deadline = Date.now() + waitMs;
    while (!(await store.acquireLease(owner, this.options.leaseTtlMs ?? 30_000))) {
      await new Promise((resolve) => setTimeout(resolve, this.options.pollMs ?? 250));
      state = await store.getState();
      if (isComplete(state)) return this.syncWebhookUrl(state);
      if (Date.now() > deadline)
        throw new AppError('catapult-unavailable', 'The app is still being set up on Catapult. Try again shortly.');
    }
    try {
      state = await store.getState();
      if (isComplete(state)) return this.syncWebhookUrl(state);
      state ??= await store.planState(this.plan());
      state = await this.ensureApplication(state);
      state = await this.ensureDomain(state);
      logger.info('catapult resources ready', { applicationId: state.applicationId, domainId: state.domainId });
      return await this.syncWebhookUrl(state as CompleteState);
    } finally {
      await store
        .releaseLease(owner)
        .catch((error) => logger.warn('could not release the bootstrap lease', { error: String(error) }));
    }
  }

  private plan(): BootstrapState {
    const { config } = this.options;
    const suffix = randomSuffix(DOMAIN_SUFFIX_LENGTH);
    return {
      applicationName: `${config.appName}-${suffix}`,
      domainName: `${config.catapultDomainName}-${suffix}`,
      updatedAt: new Date().toISOString(),
    };
  }

  private async ensureApplication(state: Stored<BootstrapState>): Promise<Stored<BootstrapState>> {
    if (state.applicationId) return state;
    const { catapult } = this.options;
    try {
      let applicationId: string | undefined;
      for await (const application of catapult.listApplications({ size: 1000 })) {
        if (application.name === state.applicationName) {
          applicationId = application.id;
          break;
        }
      }
      // Found by name = created by a crashed winner; its URL is re-checked in syncWebhookUrl.
      if (!applicationId) {
        ({ id: applicationId } = await catapult.createApplication({
          name: state.applicationName,
          incomingCallUrl: this.webhookUrl(),
          callbackHttpMethod: 'POST',
          autoAnswer: true,
        }));
        return this.options.store.updateState(state, {
          applicationId,
          webhookFingerprint: this.fingerprint(),
          webhookUrlShown: this.shownUrl(),
        });
      }
      return this.options.store.updateState(state, { applicationId });
    } catch (error) {
      throw mapCatapultError(error, 'application set-up');
    }
  }

  private async ensureDomain(state: Stored<BootstrapState>): Promise<Stored<BootstrapState>> {
    if (state.domainId) return state;
    const { catapult, config } = this.options;
    try {
      for await (const domain of catapult.listDomains({ size: 100 })) {
        if (domain.name === state.domainName) return this.options.store.updateState(state, { domainId: domain.id });
      }
      for (let attempt = 0; ; attempt++) {
        try {
          const { id } = await catapult.createDomain({
            name: state.domainName,
            description: `${config.appName} SIP domain`,
          });
          return await this.options.store.updateState(state, { domainId: id });
        } catch (error) {
          // Domain names are global DNS labels: on a clash, plan another name (recorded first) and retry.
          if (catapultStatus(error) !== 409 || attempt >= 2) throw error;
          state = await this.options.store.updateState(state, {
            domainName: `${config.catapultDomainName}-${randomSuffix(DOMAIN_SUFFIX_LENGTH)}`,
          });
        }
      }
    } catch (error) {
      throw mapCatapultError(error, 'domain set-up');
    }
  }

  private async syncWebhookUrl(state: CompleteState): Promise<AppResources> {
    const fingerprint = this.fingerprint();
    if (state.webhookFingerprint !== fingerprint) {
      try {
        await this.options.catapult.updateApplication(state.applicationId, {
          incomingCallUrl: this.webhookUrl(),
          callbackHttpMethod: 'POST',
          autoAnswer: true,
        });
      } catch (error) {
        if (catapultStatus(error) === 404) {
          // Someone deleted the application (e.g. in the dashboard): forget its id so a new one is made.
          this.options.logger.warn('the stored Catapult application is gone; creating a new one', {
            applicationId: state.applicationId,
          });
          await this.options.store.updateState(state, { applicationId: '', webhookFingerprint: '' });
          throw new ApplicationGone();
        }
        throw mapCatapultError(error, 'application update');
      }
      this.options.logger.info('application incoming-call URL updated', {
        applicationId: state.applicationId,
        url: this.shownUrl(),
      });
      // A concurrent instance may have updated the row already; both wrote the same URL.
      await this.options.store
        .updateState(state, { webhookFingerprint: fingerprint, webhookUrlShown: this.shownUrl() })
        .catch(() => undefined);
    }
    return { applicationId: state.applicationId, domainId: state.domainId, domainName: state.domainName };
  }

  private webhookUrl(): string {
    return buildWebhookUrl(this.options.config.publicBaseUrl, this.options.webhookPassword);
  }

  private shownUrl(): string {
    return this.options.config.publicBaseUrl + WEBHOOK_PATH;
  }

  private fingerprint(): string {
    return createHash('sha256').update(this.webhookUrl()).digest('hex');
  }
}

class ApplicationGone extends Error {}

type CompleteState = Stored<BootstrapState> & { applicationId: string; domainId: string };

function isComplete(state: Stored<BootstrapState> | undefined): state is CompleteState {
  return !!state?.applicationId && !!state.domainId;
}
