// Sign-up: validate → (same user again? nothing ordered) → pending row (createEntity: one attempt per
// username and per number) → allocate THE number with the app's application attached → create the SIP
// endpoint → read it back → persist the user. 3 Catapult round trips once bootstrapped.
// A transient failure leaves the pending row (lease released) so a retry RESUMES: it finds its number
// via getPhoneNumber(e164) + the name marker and its endpoint by name instead of ordering again. A
// definitive failure releases everything ordered. Never deletes what a persisted user owns.
import type { CatapultApi } from '../catapult/catapult-api';
import { randomPassword } from '../crypto/random';
import { decryptSecret, encryptSecret } from '../crypto/secret-box';
import { AppError, isAppError } from '../errors';
import type { Logger } from '../log';
import { catapultStatus, mapCatapultError } from '../map-catapult-error';
import type { AppResources } from '../bootstrap/bootstrap';
import { isStorageConflict, type Stored } from '../storage/entity-table';
import type { PendingSignup, SignupStore } from '../storage/signup-store';
import type { UserRecord, UserStore } from '../storage/user-store';
import { formatNational, requireE164 } from '../users/phone-number';
import { normalizeUsername } from '../users/username';
import { CatapultResources } from './catapult-resources';

export interface SignUpDeps {
  catapult: CatapultApi;
  users: UserStore;
  signups: SignupStore;
  ensureResources: () => Promise<AppResources>;
  sipPasswordKey: Buffer;
  appName: string;
  logger: Logger;
  leaseMs?: number; // how long one attempt owns its pending row, default 45 s
  staleAfterMs?: number; // a pending row this old with an expired lease is swept, default 10 min
  now?: () => number;
}

const DEFINITIVE = new Set(['catapult-rejected', 'number-unavailable', 'username-taken', 'invalid-number']);

export class SignUpService {
  private readonly resources: CatapultResources;
  private readonly now: () => number;
  private readonly leaseMs: number;

  constructor(private readonly deps: SignUpDeps) {
    this.resources = new CatapultResources(deps.catapult);
    this.now = deps.now ?? Date.now;
    this.leaseMs = deps.leaseMs ?? 45_000;
  }

  async signUp(input: { username: unknown; number: unknown }): Promise<{ created: boolean; user: UserRecord }> {
    const username = normalizeUsername(input.username);
    const number = requireE164(input.number);
    const existing = await this.deps.users.get(username);
    if (existing) return { created: false, user: sameNumberOrTaken(existing, number) };
    const app = await this.deps.ensureResources();
    const pending = await this.claimPending(username, number, app, 0);
    if ('user' in pending) return { created: false, user: pending.user };
    return { created: true, user: await this.completeOrUndo(pending.row, app, pending.resumed) };
  }

  /** Rolls back sign-ups that crashed and were never retried. Returns how many were cleaned. */
  async sweepStale(): Promise<number> {
    const staleAfter = this.deps.staleAfterMs ?? 10 * 60_000;
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
        await this.rollback(owned, await this.deps.ensureResources());
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
    app: AppResources,
    depth: number,
  ): Promise<{ row: Stored<PendingSignup>; resumed: boolean } | { user: UserRecord }> {
    const now = this.now();
    const fresh: PendingSignup = {
      username,
      number,
      sipPasswordSealed: encryptSecret(this.deps.sipPasswordKey, randomPassword(), username),
      startedAt: new Date(now).toISOString(),
      leaseUntil: now + this.leaseMs,
    };
    const begun = await this.deps.signups.begin(fresh);
    if (begun.started) return { row: begun.pending, resumed: false };
    const previous = begun.existing;
    if (!previous) {
      if (begun.numberHeldBy && begun.numberHeldBy !== username) {
        throw new AppError(
          'number-unavailable',
          'Someone else is ordering this number right now. Pick another number.',
          'number',
        );
      }
      if (depth < 2) return this.claimPending(username, number, app, depth + 1); // the other attempt just finished
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
      // The person now wants another number: release what the earlier attempt ordered, then start over.
      try {
        await this.rollback(row, app);
      } catch (error) {
        await this.releaseLease(row);
        throw error;
      }
      if (depth >= 2) throw inProgress();
      return this.claimPending(username, number, app, depth + 1);
    }
    return { row, resumed: true };
  }

  private async completeOrUndo(row: Stored<PendingSignup>, app: AppResources, resumed: boolean): Promise<UserRecord> {
    const state = { row };
    try {
      return await this.complete(state, app, resumed);
    } catch (error) {
      const mapped = isAppError(error) || isStorageConflict(error) ? error : mapCatapultError(error, 'sign-up');
      if (isStorageConflict(mapped)) throw inProgress(); // another attempt took the row over: it owns the outcome now
      if (isAppError(mapped) && DEFINITIVE.has(mapped.code)) {
        await this.rollback(state.row, app).catch((rollbackError) => {
          this.deps.logger.error('sign-up rollback failed; the stale sweep will retry it', {
            username: row.username,
            error: String(rollbackError),
          });
          return this.releaseLease(state.row);
        });
      } else {
        this.deps.logger.warn('sign-up interrupted; a retry resumes it', {
          username: row.username,
          code: isAppError(mapped) ? mapped.code : 'unknown',
        });
        await this.releaseLease(state.row);
      }
      throw mapped;
    }
  }

  private async complete(
    state: { row: Stored<PendingSignup> },
    app: AppResources,
    resumed: boolean,
  ): Promise<UserRecord> {
    const { username, number } = state.row;
    const marker = this.marker(username);
    const save = async (changes: Partial<PendingSignup>) => {
      state.row = await this.deps.signups.update(state.row, { ...changes, leaseUntil: this.now() + this.leaseMs });
    };
    if (!state.row.numberId) {
      const found = resumed ? await this.resources.findOwnNumber(number, marker) : undefined;
      const numberId = found ?? (await this.allocate(number, marker, app.applicationId));
      await save({ numberId });
    }
    const password = decryptSecret(this.deps.sipPasswordKey, state.row.sipPasswordSealed, username);
    if (!state.row.endpointId) {
      const endpointId = await this.resources.createOrAdoptEndpoint(app, username, password, resumed);
      await save({ endpointId });
    }
    const endpoint = await this.deps.catapult.getEndpoint(app.domainId, state.row.endpointId!);
    const user: UserRecord = {
      username,
      number,
      nationalNumber: formatNational(number),
      numberId: state.row.numberId!,
      endpointId: endpoint.id,
      sipUri: endpoint.sipUri,
      realm: endpoint.credentials.realm,
      sipPasswordSealed: state.row.sipPasswordSealed,
      createdAt: new Date(this.now()).toISOString(),
    };
    const result = await this.deps.users.create(user);
    if (!result.created) {
      if (result.existing?.number === number && result.existing.endpointId === user.endpointId) return result.existing;
      if (result.existing)
        throw new AppError('username-taken', 'This username is taken. Choose another one.', 'username');
      throw new AppError('number-unavailable', 'This number belongs to another user. Pick another number.', 'number');
    }
    await this.deps.signups.finish(state.row).catch((error) => {
      // The user exists; a leftover pending row is only cleaned (never rolled back) by the sweep.
      this.deps.logger.warn('could not clear a finished pending sign-up', { username, error: String(error) });
    });
    this.deps.logger.info('user signed up', { username, numberId: user.numberId, endpointId: user.endpointId });
    return user;
  }

  private async allocate(number: string, marker: string, applicationId: string): Promise<string> {
    try {
      return (await this.deps.catapult.allocatePhoneNumber({ number, name: marker, applicationId })).id;
    } catch (error) {
      const status = catapultStatus(error);
      if (status === undefined || status === 0 || status === 401 || status === 429 || status >= 500) throw error;
      // A 4xx: the number is gone, unless an earlier attempt of ours got it and its answer was lost.
      const own = await this.resources.findOwnNumber(number, marker);
      if (own) return own;
      throw new AppError(
        'number-unavailable',
        'That number is no longer available. Search again and pick another.',
        'number',
        { cause: error },
      );
    }
  }

  /** Releases the endpoint and number of a pending sign-up, then clears its rows. Skips what a user owns. */
  private async rollback(row: Stored<PendingSignup>, app: AppResources): Promise<void> {
    const { username, number } = row;
    const owner = await this.deps.users.get(username);
    if (!owner) {
      const endpointId = row.endpointId ?? (await this.resources.findEndpointByName(app.domainId, username));
      if (endpointId) await this.resources.deleteEndpoint(app.domainId, endpointId);
    }
    const numberOwner = await this.deps.users.getByNumber(number);
    if (!numberOwner) {
      const numberId = row.numberId ?? (await this.resources.findOwnNumber(number, this.marker(username)));
      if (numberId) await this.resources.deleteNumber(numberId);
    }
    await this.deps.signups.finish(row);
  }

  private async releaseLease(row: Stored<PendingSignup>): Promise<void> {
    await this.deps.signups.update(row, { leaseUntil: 0 }).catch(() => undefined);
  }

  /** Name given to the ordered number: how a resumed or rolled-back sign-up recognises it. */
  private marker(username: string): string {
    return `${this.deps.appName}:${username}`;
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
