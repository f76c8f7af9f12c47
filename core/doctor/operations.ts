// The app's upkeep and the operator's doctor as the VoiceApp offers them, built once by create-voice-app.ts.
// A provider without an upkeep part (no way to list what it holds) still gets the sweep of abandoned sign-ups.
import type { DoctorReport } from '../api-types';
import type { Bootstrapper } from '../bootstrap/bootstrap';
import type { Logger } from '../log';
import type { VoiceProvider } from '../provider/voice-provider';
import { DEFAULT_SIGNUP_STALE_AFTER_MS, type SignUpService } from '../signup/sign-up';
import type { Stores } from '../storage/stores';
import { Maintenance } from './maintenance';
import { Doctor } from './repair';

export interface UpkeepOperations {
  /** Undefined when the provider cannot be compared with (the sweep still runs). */
  maintenance?: Maintenance;
  /** The app's own upkeep (timer and start); undefined when another instance is running it right now. */
  runMaintenance(): Promise<DoctorReport | undefined>;
  doctor(request: { repair: boolean }): Promise<DoctorReport>;
}

export function createUpkeepOperations(deps: {
  provider: VoiceProvider;
  bootstrap: Bootstrapper;
  stores: Stores;
  signUps: SignUpService;
  sipPasswordKey: Buffer;
  appName: string;
  staleAfterMs?: number;
  logger: Logger;
  now: () => number;
}): UpkeepOperations {
  const { provider, stores, logger, now } = deps;
  const upkeep = provider.upkeep;
  if (!upkeep) {
    const sweepOnly = async (): Promise<DoctorReport> => {
      await deps.signUps.sweepStale();
      const pending = await stores.signups.listAll();
      return {
        checkedAt: new Date(now()).toISOString(),
        nothingToRepair: true,
        counts: {
          users: (await stores.users.listAll()).length,
          numbers: 0,
          identities: 0,
          pendingSignUps: pending.length,
        },
        problems: [],
        providerNotChecked: `${provider.label} has no upkeep in this app: the doctor checked only the app's own sign-ups, not the application, numbers or endpoints at ${provider.label}, and repairs nothing there.`,
        pendingSignUps: pending.map((row) => ({
          username: row.username,
          number: row.number,
          state: row.leaseUntil > now() ? 'running' : 'resumable',
          startedAt: row.startedAt,
        })),
      };
    };
    return { runMaintenance: sweepOnly, doctor: sweepOnly };
  }
  const doctor = new Doctor({
    bootstrap: deps.bootstrap,
    upkeep,
    providerLabel: provider.label,
    provider,
    users: stores.users,
    signups: stores.signups,
    signUps: deps.signUps,
    sipPasswordKey: deps.sipPasswordKey,
    appName: deps.appName,
    staleAfterMs: deps.staleAfterMs ?? DEFAULT_SIGNUP_STALE_AFTER_MS,
    logger,
    now,
  });
  const maintenance = new Maintenance({ doctor, store: stores.bootstrap, logger, now });
  return {
    maintenance,
    async runMaintenance() {
      const outcome = await maintenance.run();
      return outcome.ran ? outcome.report : undefined;
    },
    doctor: ({ repair }) => (repair ? doctor.repair('doctor') : doctor.report()),
  };
}
