// The doctor's fixes, one per problem code: re-create the application and domain, move users' numbers and
// endpoints to them, re-create missing endpoints with the users' stored passwords, re-order a missing number,
// finish or release what abandoned sign-ups left, release what belongs to nobody. Each fix re-checks storage
// right before it releases anything, and one failing fix never stops the others. Provider calls go through the
// seam's numbers, identities and upkeep parts only.
import type { DoctorProblem, DoctorReport, DoctorRepair } from '../api-types';
import type { AppResources } from '../bootstrap/bootstrap';
import { randomPassword } from '../crypto/random';
import { decryptSecret, encryptSecret } from '../crypto/secret-box';
import { isAppError } from '../errors';
import type { Logger } from '../log';
import type { VoiceProvider } from '../provider/voice-provider';
import type { SignUpService } from '../signup/sign-up';
import { isStorageConflict } from '../storage/entity-table';
import type { UserRecord } from '../storage/user-store';
import { diagnose, type DiagnoseDeps, type Diagnosis, type Finding } from './diagnose';

export interface DoctorDeps extends DiagnoseDeps {
  provider: Pick<VoiceProvider, 'numbers' | 'identities'>;
  signUps: SignUpService;
  sipPasswordKey: Buffer;
  appName: string;
  logger: Logger;
}

/** `app`: what the app repairs by itself; `doctor`: everything (`npm run doctor -- --repair`). */
export type RepairScope = 'app' | 'doctor';

/** Users first: an endpoint-missing fix may adopt an endpoint that would otherwise look like a stray. */
const ORDER: Array<Finding['code']> = [
  'number-missing',
  'number-not-on-application',
  'endpoint-missing',
  'endpoint-not-on-application',
  'signup-abandoned',
  'number-without-user',
  'endpoint-without-user',
];

export class Doctor {
  constructor(private readonly deps: DoctorDeps) {}

  async report(): Promise<DoctorReport> {
    return toReport(await diagnose(this.deps), this.deps.now);
  }

  async repair(scope: RepairScope): Promise<DoctorReport> {
    const repairs: DoctorRepair[] = [];
    let diagnosis = await diagnose(this.deps);
    const setUp = diagnosis.findings.filter((f) => f.code === 'application-missing' || f.code === 'domain-missing');
    if (setUp.length > 0) {
      const outcome = await this.attempt(setUp, async () => {
        await this.deps.bootstrap.recreateMissing(setUp.flatMap((f) => (f.gap ? [f.gap] : [])));
        return `re-created ${setUp.map((f) => (f.code === 'application-missing' ? 'the application' : 'the domain')).join(' and ')}`;
      });
      repairs.push(...outcome);
      if (!outcome.every((r) => r.ok)) return { ...toReport(diagnosis, this.deps.now), repairs };
      diagnosis = await diagnose(this.deps); // users' numbers and endpoints, against the new set-up
    }
    const resources = diagnosis.resources!;
    const wanted = diagnosis.findings.filter((f) => scope === 'doctor' || f.fixedBy === 'app');
    let swept = false;
    for (const code of ORDER) {
      for (const finding of wanted.filter((f) => f.code === code)) {
        if (code === 'signup-abandoned') {
          if (swept) continue; // one sweep handles every abandoned sign-up
          swept = true;
        }
        repairs.push(...(await this.attempt([finding], () => this.fix(finding, resources))));
      }
    }
    return { ...toReport(await diagnose(this.deps), this.deps.now), repairs };
  }

  private async attempt(findings: Finding[], fix: () => Promise<string>): Promise<DoctorRepair[]> {
    try {
      const message = await fix();
      for (const f of findings) this.deps.logger.info('doctor repaired', { code: f.code, subject: subjectOf(f) });
      return findings.map((f) => ({ code: f.code, subject: subjectOf(f), ok: true, message }));
    } catch (error) {
      const message = isAppError(error) ? `${error.code}: ${error.message}` : String(error);
      for (const f of findings)
        this.deps.logger.warn('doctor repair failed', { code: f.code, subject: subjectOf(f), error: message });
      return findings.map((f) => ({ code: f.code, subject: subjectOf(f), ok: false, message }));
    }
  }

  private async fix(finding: Finding, app: AppResources): Promise<string> {
    const { provider, upkeep, users, signups } = this.deps;
    const user = finding.user;
    switch (finding.code) {
      case 'number-missing': {
        const owner = {
          username: user!.username,
          marker: `${this.deps.appName}:${user!.username}`,
          attempt: user!.createdAt,
        };
        const order = await provider.numbers.order(user!.number, owner);
        if (order.state !== 'done') return `ordered ${user!.number} again for ${user!.username}; the order is pending`;
        await this.updateUser(user!.username, { numberId: order.numberRef });
        return `ordered ${user!.number} again for ${user!.username}`;
      }
      case 'number-not-on-application':
        await upkeep.attachNumber(finding.id!, app);
        return `moved ${finding.number} to the app's application`;
      case 'endpoint-missing':
        return this.recreateEndpoint(user!);
      case 'endpoint-not-on-application':
        await upkeep.attachIdentity(finding.id!, app);
        return `moved ${user!.username}'s endpoint to the app's application`;
      case 'signup-abandoned':
        return `rolled back ${await this.deps.signUps.sweepStale()} abandoned sign-up(s)`;
      case 'number-without-user': {
        // Re-checked now: a user or sign-up that took the number since the look would make it theirs.
        const owner = await users.getByNumber(finding.number!);
        const pending = await signups.get(finding.username!);
        if (owner || pending?.number === finding.number) return `left ${finding.number}: it has an owner now`;
        await provider.numbers.release(finding.id!, finding.number!);
        return `released ${finding.number}`;
      }
      case 'endpoint-without-user': {
        const owner = await users.get(finding.username!);
        const pending = await signups.get(finding.username!);
        if (owner?.endpointId === finding.id || pending) return `left "${finding.username}": it has an owner now`;
        await provider.identities.delete(finding.id!);
        return `deleted the endpoint "${finding.username}"`;
      }
      default:
        return 'nothing to do';
    }
  }

  /** A new endpoint (or the one of that name) with the user's stored password, recorded on the user. */
  private async recreateEndpoint(user: UserRecord): Promise<string> {
    const { sipPasswordKey, provider } = this.deps;
    let sealed = user.sipPasswordSealed;
    let password: string;
    try {
      password = decryptSecret(sipPasswordKey, sealed ?? '', user.username);
    } catch {
      // APP_SECRET was rotated: the old password cannot be read back, so the user gets a new one.
      password = randomPassword();
      sealed = encryptSecret(sipPasswordKey, password, user.username);
    }
    const ref = await provider.identities.createOrAdopt(user.username, password, true);
    const identity = await provider.identities.read(user.username, ref);
    await this.updateUser(user.username, {
      ...(identity.ref ? { endpointId: identity.ref } : {}),
      ...(identity.sipUri ? { sipUri: identity.sipUri } : {}),
      ...(identity.realm ? { realm: identity.realm } : {}),
      ...(sealed ? { sipPasswordSealed: sealed } : {}),
    });
    return `re-created ${user.username}'s endpoint with the stored password (${identity.sipUri ?? identity.ref ?? ''})`;
  }

  /** ETag-guarded, re-read once on a conflict (a concurrent password re-issue, say). */
  private async updateUser(username: string, changes: Partial<UserRecord>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const current = await this.deps.users.get(username);
      if (!current) throw new Error(`the user ${username} is gone`);
      try {
        await this.deps.users.update(current, changes);
        return;
      } catch (error) {
        if (!isStorageConflict(error) || attempt >= 1) throw error;
      }
    }
  }
}

function subjectOf(finding: DoctorProblem): string {
  return finding.username ?? finding.number ?? finding.id ?? finding.code;
}

function toReport(diagnosis: Diagnosis, now: () => number): DoctorReport {
  const problems: DoctorProblem[] = diagnosis.findings.map(({ user: _user, gap: _gap, ...problem }) => problem);
  return {
    checkedAt: new Date(now()).toISOString(),
    nothingToRepair: problems.length === 0,
    ...(diagnosis.resources ? { setUp: { ...diagnosis.resources } } : {}),
    counts: diagnosis.counts,
    problems,
    pendingSignUps: diagnosis.pendingSignUps,
  };
}
