// Health's provider check. Before the set-up exists: the provider's own cheap authenticated read. After: the
// stored application and domain must still exist at the provider, or incoming calls are lost; when one is gone
// the check says exactly which, starts the repair (re-create, then move users' numbers and endpoints) and
// fails until it is done.
import type { Bootstrapper, SetupCheck } from '../bootstrap/bootstrap';
import type { Maintenance } from '../doctor/maintenance';
import { AppError, isAppError } from '../errors';
import type { VoiceProvider } from '../provider/voice-provider';

export interface ProviderProbeDeps {
  provider: Pick<VoiceProvider, 'label' | 'health' | 'upkeep'>;
  bootstrap: Bootstrapper;
  maintenance?: Maintenance;
}

export function providerProbe(deps: ProviderProbeDeps): () => Promise<unknown> {
  const { provider, bootstrap, maintenance } = deps;
  return async () => {
    if (!provider.upkeep || !maintenance) return provider.health();
    let check: SetupCheck | undefined;
    try {
      check = await bootstrap.check(provider.upkeep);
    } catch (error) {
      // Storage down is the storage check's finding; the provider is then checked without the stored ids.
      if (!isAppError(error) || error.code !== 'storage-unavailable') throw error;
    }
    if (check?.state !== 'set-up') return provider.health();
    if (check.gaps.length === 0) return undefined;
    maintenance.runSoon();
    const gone = check.gaps.map((gap) => gap.label).join(' or ');
    const effect = check.gaps.some((gap) => gap.code === 'application-missing')
      ? 'incoming calls cannot reach the app'
      : 'users cannot register or call';
    const status = maintenance.status();
    const progress = status.lastFailure
      ? `the last repair failed (${status.lastFailure}); retrying`
      : 're-creating it and moving the users’ numbers and endpoints to it';
    throw new AppError(
      'provider-resources-missing',
      `${provider.label} no longer has ${gone} (deleted, or the app now uses another account): ${effect}; ${progress}.`,
    );
  };
}
