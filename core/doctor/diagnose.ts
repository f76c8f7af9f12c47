// The doctor's look: compares the app's records (set-up, users, pending sign-ups) with what the provider holds
// and lists every difference as a problem with a stable code. Reads only; ./repair.ts fixes.
// The provider is listed FIRST, then the pending rows, then the users: a sign-up writes its pending row before
// it orders anything and saves its user before it clears that row, so whatever was at the provider when it was
// listed is then found as a pending row or a user. Nothing a sign-up is still doing can look like a stray.
import type { DoctorProblem, PendingSignUpView } from '../api-types';
import type { AppResources, Bootstrapper } from '../bootstrap/bootstrap';
import type { IdentityAtProvider, NumberAtProvider, ProviderUpkeep, SetupGap } from '../provider/voice-provider';
import type { Stored } from '../storage/entity-table';
import type { PendingSignup, SignupStore } from '../storage/signup-store';
import type { UserRecord, UserStore } from '../storage/user-store';

export interface DiagnoseDeps {
  bootstrap: Bootstrapper;
  upkeep: ProviderUpkeep;
  /** For messages: "Catapult". */
  providerLabel: string;
  users: UserStore;
  signups: SignupStore;
  staleAfterMs: number;
  now: () => number;
}

/** A problem with what a repair needs to act on it. */
export interface Finding extends DoctorProblem {
  user?: Stored<UserRecord>;
  /** For application-missing / domain-missing: what the set-up lost. */
  gap?: SetupGap;
}

export interface Diagnosis {
  resources?: AppResources;
  findings: Finding[];
  pendingSignUps: PendingSignUpView[];
  counts: { users: number; numbers: number; identities: number; pendingSignUps: number };
}

const NONE = { users: 0, numbers: 0, identities: 0, pendingSignUps: 0 };

export async function diagnose(deps: DiagnoseDeps): Promise<Diagnosis> {
  const check = await deps.bootstrap.check(deps.upkeep);
  // Nothing was ever set up, so no user or sign-up can exist yet: there is nothing to compare.
  if (check.state === 'not-set-up') return { findings: [], pendingSignUps: [], counts: NONE };
  const { resources, gaps } = check;
  const findings: Finding[] = gaps.map((gap) => ({
    code: gap.code,
    id: gap.id,
    fixedBy: 'app',
    gap,
    message: `${deps.providerLabel} no longer has ${gap.label} (deleted, or the app now uses another account): ${
      gap.code === 'application-missing' ? 'incoming calls cannot reach the app' : 'no user can register or call'
    }.`,
  }));
  const domainGone = gaps.some((gap) => gap.code === 'domain-missing');
  const numbers = await deps.upkeep.listNumbers(resources);
  const identities = domainGone ? [] : await deps.upkeep.listIdentities(resources);
  const pending = await deps.signups.listAll();
  const users = await deps.users.listAll();

  // Per-user checks against a set-up that is gone would only repeat its problem; they run after its repair.
  if (gaps.length === 0) for (const user of users) findings.push(...userFindings(user, numbers, identities));
  const { found: strayFindings, recent } = strays(numbers, identities, pending, users, deps, domainGone);
  findings.push(...strayFindings);
  const pendingSignUps = [...pending.map((row) => pendingView(row, deps)), ...recent];
  for (const view of pendingSignUps.filter((p) => p.state === 'abandoned'))
    findings.push({
      code: 'signup-abandoned',
      username: view.username,
      number: view.number,
      fixedBy: 'app',
      message: `The sign-up of "${view.username}" for ${view.number}, started ${view.startedAt}, stopped and was never finished.`,
    });
  return {
    resources,
    findings,
    pendingSignUps,
    counts: {
      users: users.length,
      numbers: numbers.filter((n) => n.markedFor !== undefined).length,
      identities: identities.length,
      pendingSignUps: pending.length,
    },
  };
}

function userFindings(
  user: Stored<UserRecord>,
  numbers: NumberAtProvider[],
  identities: IdentityAtProvider[],
): Finding[] {
  const found: Finding[] = [];
  const { username, number } = user;
  const owned = numbers.find((n) => n.number === number);
  if (!owned)
    found.push({
      code: 'number-missing',
      username,
      number,
      id: user.numberId,
      fixedBy: 'doctor',
      user,
      message: `${username}'s number ${number} is no longer on the account: calls to it cannot reach them.`,
    });
  else if (owned.attached !== 'ours')
    found.push({
      code: 'number-not-on-application',
      username,
      number,
      id: owned.ref,
      fixedBy: 'app',
      user,
      message: `${username}'s number ${number} is not attached to the app's application: calls to it do not reach the app.`,
    });
  if (!user.endpointId) return found; // a provider without identities
  const identity = identities.find((e) => e.ref === user.endpointId);
  if (!identity)
    found.push({
      code: 'endpoint-missing',
      username,
      id: user.endpointId,
      fixedBy: 'app',
      user,
      message: `${username}'s SIP endpoint ${user.endpointId} is gone: their phone and the dialpad cannot register.`,
    });
  else if (identity.attached !== 'ours')
    found.push({
      code: 'endpoint-not-on-application',
      username,
      id: identity.ref,
      fixedBy: 'app',
      user,
      message: `${username}'s SIP endpoint ${identity.ref} is not attached to the app's application: their calls do not reach the app.`,
    });
  return found;
}

function strays(
  numbers: NumberAtProvider[],
  identities: IdentityAtProvider[],
  pending: Array<Stored<PendingSignup>>,
  users: Array<Stored<UserRecord>>,
  deps: DiagnoseDeps,
  domainGone: boolean,
): { found: Finding[]; recent: PendingSignUpView[] } {
  const found: Finding[] = [];
  const recent: PendingSignUpView[] = [];
  for (const n of numbers) {
    // Only numbers carrying this app's marker are ours to judge, and among those only the ones attached to our
    // application or to none: one attached to another application belongs to another deployment sharing
    // APP_NAME and this account.
    if (n.markedFor === undefined || n.attached === 'other') continue;
    if (users.some((u) => u.number === n.number) || pending.some((p) => p.number === n.number)) continue;
    // Ordered within the resume window by a sign-up whose row is gone (local storage that lost its last writes):
    // its person's retry adopts it by the marker, and a released number can never be ordered back, so it is kept
    // like a resumable sign-up until the window has passed.
    if (n.orderedAt && Date.parse(n.orderedAt) + deps.staleAfterMs > deps.now()) {
      recent.push({ username: n.markedFor, number: n.number, state: 'resumable', startedAt: n.orderedAt });
      continue;
    }
    found.push({
      code: 'number-without-user',
      username: n.markedFor,
      number: n.number,
      id: n.ref,
      // Attached to our application: certainly ordered by this app (a sign-up cut short). Attached to none: most
      // likely ours too (a deleted application leaves its numbers unattached), but a person should confirm.
      // While the set-up itself is being repaired nothing is ours "for certain".
      fixedBy: n.attached === 'ours' && !domainGone ? 'app' : 'doctor',
      message: `The number ${n.number} was ordered for "${n.markedFor}" but belongs to no user or sign-up.`,
    });
  }
  // The domain is the app's alone: every identity in it is ours.
  for (const e of identities) {
    if (users.some((u) => u.endpointId === e.ref) || pending.some((p) => p.username === e.username)) continue;
    if (recent.some((r) => r.username === e.username)) continue; // the same cut-short sign-up: its retry adopts it
    found.push({
      code: 'endpoint-without-user',
      username: e.username,
      id: e.ref,
      fixedBy: 'app',
      message: `The SIP endpoint "${e.username}" (${e.ref}) belongs to no user or sign-up.`,
    });
  }
  return { found, recent };
}

function pendingView(row: Stored<PendingSignup>, deps: DiagnoseDeps): PendingSignUpView {
  const now = deps.now();
  const state =
    row.leaseUntil > now ? 'running' : Date.parse(row.startedAt) + deps.staleAfterMs > now ? 'resumable' : 'abandoned';
  return { username: row.username, number: row.number, state, startedAt: row.startedAt };
}
