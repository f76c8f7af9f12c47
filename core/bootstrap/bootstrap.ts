// The app's one-time resources at the provider (Catapult: an application and a SIP domain; Bandwidth: a
// voice application, a site and a location linked to it), found or created ONCE per deployment, their ids
// stored and kept in memory, and the provider's webhook configuration kept in step with PUBLIC_BASE_URL.
// Concurrent cold starts: one wins a lease row (createEntity) and records the names it WILL create before
// creating anything, so a takeover after a crash finds them by name instead of creating more; the others
// poll the state row, bounded. What to create and how is the provider's setup part; this is the rest.
import { randomUUID } from 'node:crypto';
import { AppError } from '../errors';
import type { Logger } from '../log';
import type { AppResources, ProviderSetup, SetupState } from '../provider/voice-provider';
import type { BootstrapStore } from '../storage/bootstrap-store';
import { isStorageConflict, type Stored } from '../storage/entity-table';

export type { AppResources };

export interface BootstrapOptions {
  setup: ProviderSetup;
  store: BootstrapStore;
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
  async peek(): Promise<AppResources | undefined> {
    if (this.cached ?? this.peeked) return this.cached ?? this.peeked;
    const state = await this.options.store.getState();
    if (!state) return undefined;
    const known = this.options.setup.resources(state);
    // Complete ids never change, so webhook calls need not read storage for them again.
    if (this.options.setup.isComplete(state)) this.peeked = known;
    return known;
  }

  private async run(): Promise<AppResources> {
    try {
      return await this.runOnce();
    } catch (error) {
      // ApplicationGone: the stored application was deleted at the provider, so set up a new one.
      // StorageConflict: another instance changed the state row meanwhile (e.g. it took over an
      // expired lease); the next pass reads its result instead of failing.
      if (!(error instanceof ApplicationGone) && !isStorageConflict(error)) throw error;
      return this.runOnce();
    }
  }

  private async runOnce(): Promise<AppResources> {
    const { store, logger, setup } = this.options;
    const waitMs = this.options.waitMs ?? 20_000;
    let state = await store.getState();
    if (state && setup.isComplete(state)) return this.syncWebhook(state);
    const owner = randomUUID();
    const deadline = Date.now() + waitMs;
    while (!(await store.acquireLease(owner, this.options.leaseTtlMs ?? 30_000))) {
      await new Promise((resolve) => setTimeout(resolve, this.options.pollMs ?? 250));
      state = await store.getState();
      if (state && setup.isComplete(state)) return this.syncWebhook(state);
      if (Date.now() > deadline)
        throw new AppError(
          'provider-unavailable',
          'The app is still being set up at the phone provider. Try again shortly.',
        );
    }
    try {
      state = await store.getState();
      if (state && setup.isComplete(state)) return this.syncWebhook(state);
      state ??= await store.planState({ ...setup.plan(), updatedAt: new Date().toISOString() });
      let current: Stored<SetupState> = state;
      await setup.create(current, async (changes) => {
        current = await store.updateState(current, changes);
        return current;
      });
      logger.info('provider resources ready', setup.resources(current));
      return await this.syncWebhook(current);
    } finally {
      await store
        .releaseLease(owner)
        .catch((error) => logger.warn('could not release the bootstrap lease', { error: String(error) }));
    }
  }

  private async syncWebhook(state: Stored<SetupState>): Promise<AppResources> {
    const { setup, store, logger } = this.options;
    const { fingerprint, shownUrl } = setup.webhook();
    if (state.webhookFingerprint !== fingerprint) {
      const outcome = await setup.syncWebhook(state);
      if (outcome !== 'synced') {
        // Someone deleted the application (e.g. in the dashboard): forget its id so a new one is made.
        await store.updateState(state, Object.fromEntries(outcome.forget.map((field) => [field, ''])));
        throw new ApplicationGone();
      }
      logger.info('provider webhook configuration updated', { url: shownUrl });
      // A concurrent instance may have updated the row already; both wrote the same configuration.
      await store
        .updateState(state, { webhookFingerprint: fingerprint, webhookUrlShown: shownUrl })
        .catch(() => undefined);
    }
    return setup.resources(state);
  }
}

class ApplicationGone extends Error {}
