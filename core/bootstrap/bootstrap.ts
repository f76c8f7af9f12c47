// The app's one-time resources at the provider (Catapult: an application and a SIP domain; Bandwidth: a
// voice application, a site and a location linked to it), found or created ONCE per deployment, their ids
// stored and kept in memory, and the provider's webhook configuration kept in step with PUBLIC_BASE_URL.
// Concurrent cold starts: one wins a lease row (createEntity) and records the names it WILL create before
// creating anything, so a takeover after a crash finds them by name instead of creating more; the others
// poll the state row, bounded. What to create and how is the provider's setup part; this is the rest.
import { randomUUID } from 'node:crypto';
import { AppError } from '../errors';
import type { Logger } from '../log';
import type { AppResources, ProviderSetup, ProviderUpkeep, SetupGap, SetupState } from '../provider/voice-provider';
import type { BootstrapStore } from '../storage/bootstrap-store';
import { isStorageConflict, type Stored } from '../storage/entity-table';

export type { AppResources };

/** What the doctor and health learn about the set-up: never made yet, or made, with what the provider lost. */
export type SetupCheck = { state: 'not-set-up' } | { state: 'set-up'; resources: AppResources; gaps: SetupGap[] };

/** Another instance may have re-created the set-up since this one cached it: read storage again this often. */
const RECHECK_MS = 30_000;

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
  private cachedAt = 0;
  private peeked?: AppResources;
  private running?: Promise<AppResources>;

  constructor(private readonly options: BootstrapOptions) {}

  /**
   * The ids, creating the resources on first use. Cached, and re-read from storage every 30 s (one point read)
   * so an instance picks up a set-up another instance re-created after drift; a failure is not cached.
   */
  ensure(): Promise<AppResources> {
    if (this.cached && Date.now() - this.cachedAt < RECHECK_MS) return Promise.resolve(this.cached);
    this.running ??= this.run().then(
      (resources) => {
        this.cached = resources;
        this.cachedAt = Date.now();
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

  /**
   * What is known without creating anything (memory, then storage): for health and webhook checks. `fresh`
   * reads storage again (a webhook for an application this instance does not know may be for a re-created one).
   */
  async peek(fresh = false): Promise<AppResources | undefined> {
    if (fresh) this.forget();
    if (this.cached ?? this.peeked) return this.cached ?? this.peeked;
    const state = await this.options.store.getState();
    if (!state) return undefined;
    const known = this.options.setup.resources(state);
    // Complete ids never change, so webhook calls need not read storage for them again.
    if (this.options.setup.isComplete(state)) this.peeked = known;
    return known;
  }

  /** Drops what this instance has cached: the next use reads (or re-creates) the set-up again. */
  forget(): void {
    this.cached = undefined;
    this.peeked = undefined;
  }

  /** Compares the stored set-up with what the provider holds. Reads only. */
  async check(upkeep: ProviderUpkeep): Promise<SetupCheck> {
    const state = await this.options.store.getState();
    if (!state) return { state: 'not-set-up' };
    return { state: 'set-up', resources: this.options.setup.resources(state), gaps: await upkeep.missingSetup(state) };
  }

  /**
   * Re-creates what the provider lost (deleted in its dashboard, or the app now points at another account):
   * forgets the gone ids (only while storage still holds those very ids: another instance may have re-created
   * them already) and runs the set-up again under its lease, with the planned names. Returns the new ids.
   */
  async recreateMissing(gaps: SetupGap[]): Promise<AppResources> {
    const { store, logger } = this.options;
    const state = await store.getState();
    if (state) {
      const forget = gaps.filter((gap) => (state[gap.forget[0]!] ?? '') === gap.id).flatMap((gap) => gap.forget);
      if (forget.length > 0) await store.updateState(state, Object.fromEntries(forget.map((field) => [field, ''])));
      logger.warn('re-creating the provider set-up', { missing: gaps.map((gap) => gap.label) });
    }
    this.forget();
    return this.ensure();
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
