// Sign-up: validate → (same user again? nothing ordered) → pending row (createEntity: one attempt per
// username and per number) → (the user saved meanwhile? answer it) → order THE number (the provider may take a while: Bandwidth orders are
// asynchronous, and the order is noted in the row before it is awaited) → create the user's calling
// identity where the provider has one → read it back → persist the user.
// The pending row is the journal: written before anything is ordered, removed only after the user is saved
// (or everything ordered is released), so whatever a crash leaves behind is found from it. Its lease is short
// and renewed while the attempt runs (./pending-lease.ts): a crashed attempt blocks its person's retry for
// seconds, not minutes.
// A transient failure leaves the pending row (lease released) so a retry RESUMES: it finds what an
// earlier attempt ordered (the provider's marker) and its identity by name instead of ordering again. A
// definitive failure releases everything ordered. Never deletes what a persisted user owns.
import { randomPassword } from '../crypto/random';
import { decryptSecret, encryptSecret } from '../crypto/secret-box';
import { AppError, isAppError } from '../errors';
import type { Logger } from '../log';
import type { AppResources, NumberOrderState, NumberOwner, VoiceProvider } from '../provider/voice-provider';
import { isStorageConflict, type Stored } from '../storage/entity-table';
import type { PendingSignup, SignupStore } from '../storage/signup-store';
import type { UserRecord, UserStore } from '../storage/user-store';
import { formatNational, requireE164 } from '../users/phone-number';
import { normalizeUsername } from '../users/username';
import { PendingLease } from './pending-lease';

export interface SignUpDeps {
  provider: Pick<VoiceProvider, 'numbers' | 'identities'>;
  users: UserStore;
  signups: SignupStore;
  ensureResources: () => Promise<AppResources>;
  sipPasswordKey: Buffer;
  appName: string;
  logger: Logger;
  leaseMs?: number; // how long one attempt owns its pending row without renewing it, default 10 s
  staleAfterMs?: number; // a pending row this old with an expired lease is swept, default 10 min
  now?: () => number;
}

/** A crashed attempt blocks its person's retry at most this long (a live one renews it every third). */
export const DEFAULT_SIGNUP_LEASE_MS = 10_000;
export const DEFAULT_SIGNUP_STALE_AFTER_MS = 10 * 60_000;

/** Failures that retrying the same sign-up cannot fix: everything ordered is released at once. */
const DEFINITIVE = new Set(['provider-rejected', 'number-unavailable', 'username-taken', 'invalid-number']);

export class SignUpService {
  private readonly now: () => number;
  private readonly leaseMs: number;

  constructor(private readonly deps: SignUpDeps) {
    this.now = deps.now ?? Date.now;
    this.leaseMs = deps.leaseMs ?? DEFAULT_SIGNUP_LEASE_MS;
  }

  async signUp(input: { username: unknown; number: unknown }): Promise<{ created: boolean; user: UserRecord }> {
    const username = normalizeUsername(input.username);
    const number = requireE164(input.number);
    const existing = await this.deps.users.get(username);
    if (existing) return { created: false, user: sameNumberOrTaken(existing, number) };
    await this.deps.ensureResources();
    const pending = await this.claimPending(username, number, 0);
    if ('user' in pending) return { created: false, user: pending.user };
    return { created: true, user: await this.completeOrUndo(pending.row, pending.resumed) };
  }

  /** Rolls back sign-ups that crashed and were never retried. Returns how many were cleaned. */
  async sweepStale(): Promise<number> {
    const staleAfter = this.deps.staleAfterMs ?? DEFAULT_SIGNUP_STALE_AFTER_MS;
    const now = this.now();
    let cleaned = 0;
    for (const row of await this.deps.signups.listAll()) {
      if (row.leaseUntil > now || Date.parse(row.startedAt) + staleAfter > now) continue;
      let owned: Stored<PendingSignup>;
      try {
        owned = await this.deps.signups.update(row, { leaseUntil: now + this.leaseMs });
      } catch (error) {
        if (isStorageConflict(error)) continue; // a retry or another sweep got it first
        throw error;
      }
      try {
        await this.deps.ensureResources();
        await this.rollback(owned);
      } catch (error) {
        // Leave it for the next sweep; one stuck row must not block the others.
        this.deps.logger.warn('stale sign-up rollback failed; will retry', {
          username: row.username,
          code: (error as { code?: string }).code,
        });
        await this.releaseLease(owned);
        continue;
      }
      this.deps.logger.info('stale sign-up rolled back', { username: row.username });
      cleaned++;
    }
    return cleaned;
  }

  private async claimPending(
    username: string,
    number: string,
    depth: number,
    sealedPassword?: string,
  ): Promise<{ row: Stored<PendingSignup>; resumed: boolean } | { user: UserRecord }> {
    const now = this.now();
    const fresh: PendingSignup = {
      username,
      number,
      ...(this.deps.provider.identities.usesPassword
        ? { sipPasswordSealed: sealedPassword ?? encryptSecret(this.deps.sipPasswordKey, randomPassword(), username) }
        : {}),
      startedAt: new Date(now).toISOString(),
      leaseUntil: now + this.leaseMs,
    };
    const begun = await this.deps.signups.begin(fresh);
    if (begun.started) {
      // A copy of this request that looked for the user before an earlier attempt saved it (and cleared its
      // row) gets here too: it must answer that user, not sign up again over its identity.
      const user = await this.deps.users.get(username);
      if (!user) return { row: begun.pending, resumed: false };
      await this.deps.signups.finish(begun.pending);
      return { user: sameNumberOrTaken(user, number) };
    }
    const previous = begun.existing;
    if (!previous) {
      if (begun.numberHeldBy && begun.numberHeldBy !== username) {
        throw new AppError(
          'number-unavailable',
          'Someone else is ordering this number right now. Pick another number.',
          'number',
        );
      }
      // No row for this username although the begin collided: the other attempt just finished or gave up.
      const user = await this.deps.users.get(username);
      if (user) return { user: sameNumberOrTaken(user, number) };
      if (depth < 2) return this.claimPending(username, number, depth + 1, sealedPassword);
      throw inProgress();
    }
    if (previous.leaseUntil > now) throw inProgress();
    // An earlier attempt of this username failed or crashed: take its row over (ETag-guarded).
    let row: Stored<PendingSignup>;
    try {
      row = await this.deps.signups.update(previous, { leaseUntil: now + this.leaseMs });
    } catch (error) {
      if (isStorageConflict(error)) throw inProgress();
      throw error;
    }
    const user = await this.deps.users.get(username);
    if (user) {
      await this.deps.signups.finish(row); // it had completed; only the clean-up was missing
      return { user: sameNumberOrTaken(user, number) };
    }
    if (row.number !== number) {
      // The person now wants another number: release what the earlier attempt ordered, then start over with
      // the same SIP password, so an identity that attempt creates late still gets the password we store.
      try {
        await this.rollback(row);
      } catch (error) {
        await this.releaseLease(row);
        throw error;
      }
      if (depth >= 2) throw inProgress();
      return this.claimPending(username, number, depth + 1, row.sipPasswordSealed);
    }
    return { row, resumed: true };
  }

  private async completeOrUndo(row: Stored<PendingSignup>, resumed: boolean): Promise<UserRecord> {
    const lease = new PendingLease(row, this.deps.signups, { leaseMs: this.leaseMs, now: this.now }, this.deps.logger);
    lease.start();
    try {
      return await this.complete(lease, resumed);
    } catch (error) {
      lease.stop();
      if (isStorageConflict(error)) throw inProgress(); // another attempt took the row over: it owns the outcome now
      if (isAppError(error) && DEFINITIVE.has(error.code)) {
        await this.rollback(lease.current).catch((rollbackError) => {
          this.deps.logger.error('sign-up rollback failed; the stale sweep will retry it', {
            username: row.username,
            error: String(rollbackError),
          });
          return lease.release();
        });
      } else {
        this.deps.logger.warn('sign-up interrupted; a retry resumes it', {
          username: row.username,
          code: isAppError(error) ? error.code : 'unknown',
        });
        await lease.release();
      }
      throw error;
    } finally {
      lease.stop();
    }
  }

  private async complete(lease: PendingLease, resumed: boolean): Promise<UserRecord> {
    const { username, number } = lease.current;
    const { identities } = this.deps.provider;
    const save = async (changes: Partial<PendingSignup>) => {
      await lease.save(changes);
    };
    if (!lease.current.numberId) {
      const numberId = await this.orderNumber(lease.current, resumed, save);
      await save({ numberId });
    }
    const sealed = lease.current.sipPasswordSealed;
    const password = sealed ? decryptSecret(this.deps.sipPasswordKey, sealed, username) : undefined;
    if (!lease.current.endpointId) {
      const endpointId = await identities.createOrAdopt(username, password, resumed);
      if (endpointId) await save({ endpointId });
    }
    const identity = await identities.read(username, lease.current.endpointId);
    const user: UserRecord = {
      username,
      number,
      nationalNumber: formatNational(number),
      numberId: lease.current.numberId!,
      ...(identity.ref ? { endpointId: identity.ref } : {}),
      ...(identity.sipUri ? { sipUri: identity.sipUri } : {}),
      ...(identity.realm ? { realm: identity.realm } : {}),
      ...(sealed ? { sipPasswordSealed: sealed } : {}),
      createdAt: new Date(this.now()).toISOString(),
    };
    const result = await this.deps.users.create(user);
    if (!result.created) {
      if (result.existing?.number === number && result.existing.endpointId === user.endpointId) return result.existing;
      if (result.existing)
        throw new AppError('username-taken', 'This username is taken. Choose another one.', 'username');
      throw new AppError('number-unavailable', 'This number belongs to another user. Pick another number.', 'number');
    }
    lease.stop();
    await this.deps.signups.finish(lease.current).catch((error) => {
      // The user exists; a leftover pending row is only cleaned (never rolled back) by the sweep.
      this.deps.logger.warn('could not clear a finished pending sign-up', { username, error: String(error) });
    });
    this.deps.logger.info('user signed up', { username, numberId: user.numberId, endpointId: user.endpointId });
    return user;
  }

  /**
   * The number's reference once ordered. An order the provider has not completed yet is noted in the row
   * (orderRef) BEFORE it is awaited, so a retry after a crash or a timeout resumes it instead of ordering
   * again; still pending at the provider's deadline → signup-in-progress (retry shortly).
   */
  private async orderNumber(
    row: Stored<PendingSignup>,
    resumed: boolean,
    save: (changes: Partial<PendingSignup>) => Promise<void>,
  ): Promise<string> {
    const { numbers } = this.deps.provider;
    const owner = this.owner(row);
    let order: NumberOrderState | undefined;
    if (row.orderRef) order = await numbers.awaitOrder(row.orderRef, row.number, owner);
    else {
      order = resumed ? await numbers.findOrdered(row.number, owner) : undefined;
      order ??= await numbers.order(row.number, owner);
      if (order.state === 'pending') {
        await save({ orderRef: order.orderRef });
        order = await numbers.awaitOrder(order.orderRef, row.number, owner);
      }
    }
    if (order.state === 'pending') {
      throw new AppError('signup-in-progress', 'Your number is still being set up. Try again in a few seconds.');
    }
    return order.numberRef;
  }

  /** Releases the identity and number of a pending sign-up, then clears its rows. Skips what a user owns. */
  private async rollback(row: Stored<PendingSignup>): Promise<void> {
    const { username, number } = row;
    const { numbers, identities } = this.deps.provider;
    const owner = await this.deps.users.get(username);
    if (!owner) {
      const endpointId = row.endpointId ?? (await identities.find(username));
      if (endpointId) await identities.delete(endpointId);
    }
    const numberOwner = await this.deps.users.getByNumber(number);
    if (!numberOwner) {
      let numberId = row.numberId;
      if (!numberId) {
        // An order still in flight cannot be given back yet: the error keeps the row for a later sweep.
        const order = row.orderRef
          ? await this.settledOrder(row.orderRef, number, this.owner(row))
          : await numbers.findOrdered(number, this.owner(row));
        if (order?.state === 'pending') {
          throw new AppError('provider-unavailable', 'The number order is still in progress.');
        }
        numberId = order?.numberRef;
      }
      if (numberId) await numbers.release(numberId, number);
    }
    await this.deps.signups.finish(row);
  }

  /** A placed order's outcome; a failed order got nothing to release. */
  private async settledOrder(
    orderRef: string,
    number: string,
    owner: NumberOwner,
  ): Promise<NumberOrderState | undefined> {
    try {
      return await this.deps.provider.numbers.awaitOrder(orderRef, number, owner);
    } catch (error) {
      if (isAppError(error) && error.code === 'number-unavailable') return undefined;
      throw error;
    }
  }

  private async releaseLease(row: Stored<PendingSignup>): Promise<void> {
    await this.deps.signups.update(row, { leaseUntil: 0 }).catch(() => undefined);
  }

  /** How a resumed or rolled-back sign-up recognises what it ordered. */
  private owner(row: PendingSignup): NumberOwner {
    return { username: row.username, marker: `${this.deps.appName}:${row.username}`, attempt: row.startedAt };
  }
}

function sameNumberOrTaken(existing: UserRecord, number: string): UserRecord {
  if (existing.number === number) return existing;
  throw new AppError(
    'username-taken',
    'This username is taken. Choose another one, or log in if it is yours.',
    'username',
  );
}

function inProgress(): AppError {
  return new AppError('signup-in-progress', 'This sign-up is already running. Try again in a few seconds.');
}
