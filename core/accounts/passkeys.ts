// Passkeys, optional per account. Registration and step-up happen inside a session; log-in starts one.
// Every ceremony: options with a fresh bound challenge (challenges.ts) → the browser → the response verified by
// webauthn.ts (origin, RP id, user verification, signature, counter) → the challenge consumed → the change saved.
// The first passkey of an account ends every session that never used a passkey, in the same transaction that
// saves it: whoever logged in with the username alone before (the owner elsewhere, or someone who guessed the
// name) must now log in with the passkey.
import { AppError } from '../errors';
import type { Logger } from '../log';
import { isStorageConflict, type Stored, type TableAction } from '../storage/entity-table';
import { sessionRowKey, type AccountStore, type PasskeyRow } from './account-store';
import type { ChallengeBinding, ChallengeBook } from './challenges';
import { accountFields, type ActiveSession, type SessionService } from './sessions';
import {
  authenticationOptions,
  challengeOf,
  registrationOptions,
  verifyAuthentication,
  verifyRegistration,
  type AuthenticationResponseJSON,
  type RelyingParty,
  type StoredCredential,
} from './webauthn';
import { isAuthenticationResponse, isRegistrationResponse } from './webauthn-shapes';

/** How long a passkey use counts as "just now" for actions that need a fresh confirmation. */
export const STEP_UP_FRESH_MS = 5 * 60_000;
const MAX_PASSKEYS = 10;

export interface PasskeyServiceOptions {
  /** Undefined when DIALPAD_ORIGIN is not set: passkeys are off. */
  rp?: RelyingParty;
  store: AccountStore;
  sessions: SessionService;
  challenges: ChallengeBook;
  now: () => number;
  logger: Logger;
}

export interface RegisteredPasskey {
  passkey: PasskeyRow;
  /** Sessions ended because this was the account's first passkey. */
  endedSessions: number;
}

export class PasskeyService {
  constructor(private readonly options: PasskeyServiceOptions) {}

  get available(): boolean {
    return this.options.rp !== undefined;
  }

  async registrationOptions(session: ActiveSession) {
    const rp = this.relyingParty();
    const state = await this.options.store.load(session.username);
    if (state.passkeys.length > 0) this.requireFresh(session);
    if (state.passkeys.length >= MAX_PASSKEYS) {
      throw new AppError('passkey-invalid', `An account can have at most ${MAX_PASSKEYS} passkeys. Remove one first.`);
    }
    // Every session starts with an account row, so its user handle exists; a missing one means the row went away.
    if (!state.account) throw new AppError('unauthorized', 'This session has ended. Log in again.');
    const challenge = this.options.challenges.issue(registerBinding(session));
    return registrationOptions(
      rp,
      { username: session.username, userHandle: state.account.userHandle },
      challenge,
      state.passkeys.map(credentialOf),
    );
  }

  async register(session: ActiveSession, response: unknown, device: string): Promise<RegisteredPasskey> {
    const rp = this.relyingParty();
    if (!isRegistrationResponse(response)) throw invalid('The passkey response is malformed.');
    const binding = registerBinding(session);
    const challenge = this.checkedChallenge(response, binding);
    const credential = await this.verified(() => verifyRegistration(rp, response, (c) => c === challenge));
    await this.options.challenges.consume(challenge, binding);
    const { store, now } = this.options;
    return store.change(session.username, async () => {
      const state = await store.load(session.username);
      const current = state.sessions.find((row) => row.sessionId === session.sessionId);
      if (!state.account || !current) throw new AppError('unauthorized', 'This session has ended. Log in again.');
      if (state.passkeys.length > 0) this.requireFresh({ ...session, row: current });
      if (state.passkeys.some((row) => row.credentialId === credential.credentialId)) {
        throw invalid('This passkey is already registered.');
      }
      const at = new Date(now()).toISOString();
      const passkey: PasskeyRow = {
        credentialId: credential.credentialId,
        publicKey: credential.publicKey,
        counter: credential.counter,
        transports: JSON.stringify(credential.transports),
        deviceType: credential.deviceType,
        backedUp: credential.backedUp,
        name: device,
        createdAt: at,
      };
      const unverified = state.sessions.filter((row) => !row.verifiedAt && row.sessionId !== session.sessionId);
      const actions: TableAction[] = [
        store.accountAction(session.username, state.account, {
          ...accountFields(state.account),
          passkeyCount: state.passkeys.length + 1,
        }),
        { kind: 'create', entity: store.passkeyEntity(session.username, passkey) },
        {
          kind: 'update',
          entity: {
            partitionKey: session.username,
            rowKey: sessionRowKey(session.sessionId),
            verifiedAt: at,
            setupRequired: false,
          },
          etag: current.etag,
        },
        ...unverified.map((row): TableAction => ({
          kind: 'delete',
          partitionKey: session.username,
          rowKey: row.rowKey,
        })),
      ];
      await store.transact(actions);
      this.options.sessions.forget(session.username, session.sessionId);
      for (const row of unverified) this.options.sessions.forget(session.username, row.sessionId);
      return { passkey, endedSessions: unverified.length };
    });
  }

  /** Options for a passkey log-in; with a username (that has passkeys) the browser is told which ones. */
  async loginOptions(username: string | undefined) {
    const rp = this.relyingParty();
    const passkeys = username ? (await this.options.store.load(username)).passkeys : [];
    return authenticationOptions(rp, this.options.challenges.issue({ purpose: 'login' }), passkeys.map(credentialOf));
  }

  /** The account a passkey log-in proves; AppError('passkey-invalid') for anything else. */
  async verifyLogin(request: { username?: string; response: unknown }): Promise<{ username: string }> {
    const rp = this.relyingParty();
    const { response } = request;
    if (!isAuthenticationResponse(response)) throw invalid('The passkey response is malformed.');
    const binding: ChallengeBinding = { purpose: 'login' };
    const challenge = this.checkedChallenge(response, binding);
    const handle = response.response.userHandle;
    const username = handle ? await this.options.store.usernameForHandle(handle) : request.username;
    if (!username || (request.username !== undefined && request.username !== username)) {
      throw invalid('This passkey does not belong to an account here.');
    }
    const state = await this.options.store.load(username);
    if (handle && state.account?.userHandle !== handle)
      throw invalid('This passkey does not belong to an account here.');
    await this.assertAndConsume(rp, username, state.passkeys, response, challenge, binding);
    return { username };
  }

  async stepUpOptions(session: ActiveSession) {
    const rp = this.relyingParty();
    const { passkeys } = await this.options.store.load(session.username);
    if (passkeys.length === 0) throw new AppError('passkey-not-found', 'This account has no passkey.');
    return authenticationOptions(rp, this.options.challenges.issue(stepUpBinding(session)), passkeys.map(credentialOf));
  }

  /** Confirms the person holds a passkey of the account now; returns until when that counts as fresh. */
  async stepUp(session: ActiveSession, response: unknown): Promise<Date> {
    const rp = this.relyingParty();
    if (!isAuthenticationResponse(response)) throw invalid('The passkey response is malformed.');
    const binding = stepUpBinding(session);
    const challenge = this.checkedChallenge(response, binding);
    const { passkeys } = await this.options.store.load(session.username);
    await this.assertAndConsume(rp, session.username, passkeys, response, challenge, binding);
    const at = this.options.now();
    await this.options.store
      .update(session.username, sessionRowKey(session.sessionId), { verifiedAt: new Date(at).toISOString() }, '*')
      .catch((error: unknown) => {
        if (isStorageConflict(error, 'missing')) throw new AppError('unauthorized', 'This session has ended.');
        throw error;
      });
    this.options.sessions.forget(session.username, session.sessionId);
    return new Date(at + STEP_UP_FRESH_MS);
  }

  async list(username: string): Promise<PasskeyRow[]> {
    const { passkeys } = await this.options.store.load(username);
    return passkeys.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /** Removes a passkey; needs a fresh step-up. `keepOne`: REQUIRE_PASSKEY refuses to remove the last one. */
  async remove(session: ActiveSession, credentialId: string, keepOne: boolean): Promise<void> {
    this.requireFresh(session);
    const { store } = this.options;
    await store.change(session.username, async () => {
      const state = await store.load(session.username);
      const passkey = state.passkeys.find((row) => row.credentialId === credentialId);
      if (!passkey || !state.account) throw new AppError('passkey-not-found', 'This passkey is not on your account.');
      if (keepOne && state.passkeys.length === 1) {
        throw new AppError('passkey-required', 'This app requires a passkey: add another one before removing this.');
      }
      await store.transact([
        store.accountAction(session.username, state.account, {
          ...accountFields(state.account),
          passkeyCount: state.passkeys.length - 1,
        }),
        { kind: 'delete', partitionKey: session.username, rowKey: passkey.rowKey },
      ]);
    });
  }

  /**
   * For acts that hand out or change a secret (the SIP password): an account with a passkey must have used it in
   * this session within STEP_UP_FRESH_MS (else `step-up-required`); an account without one has nothing more to
   * prove than its session.
   */
  async requireOwnerPresent(session: ActiveSession): Promise<void> {
    const { passkeys } = await this.options.store.load(session.username);
    if (passkeys.length > 0) this.requireFresh(session);
  }

  /** Throws AppError('step-up-required') unless a passkey was used in this session within STEP_UP_FRESH_MS. */
  requireFresh(session: ActiveSession): void {
    if (!isFresh(session, this.options.now())) {
      throw new AppError('step-up-required', 'Confirm with your passkey first.');
    }
  }

  private async assertAndConsume(
    rp: RelyingParty,
    username: string,
    passkeys: Array<Stored<PasskeyRow>>,
    response: AuthenticationResponseJSON,
    challenge: string,
    binding: ChallengeBinding,
  ): Promise<void> {
    const passkey = passkeys.find((row) => row.credentialId === response.id);
    if (!passkey) throw invalid('This passkey is not registered on the account.');
    const result = await this.verified(() =>
      verifyAuthentication(rp, response, credentialOf(passkey), (c) => c === challenge),
    );
    await this.options.challenges.consume(challenge, binding);
    const changes = { counter: result.counter, backedUp: result.backedUp, lastUsedAt: isoNow(this.options.now) };
    // Another log-in with the same passkey may have written first; the counter it wrote is as good as ours.
    await this.options.store.update(username, passkey.rowKey, changes, passkey.etag).catch((error: unknown) => {
      if (!isStorageConflict(error)) throw error;
    });
  }

  /** The response's challenge, checked as ours and for this binding before any storage is read. */
  private checkedChallenge(response: { response: { clientDataJSON: string } }, binding: ChallengeBinding): string {
    const challenge = challengeOf(response);
    if (!challenge || !this.options.challenges.isValid(challenge, binding)) {
      throw new AppError('passkey-challenge-invalid', 'This passkey request expired. Try again.');
    }
    return challenge;
  }

  /** Runs a verification; the library throws on most bad input, which is the client's fault, not ours. */
  private async verified<T>(verify: () => Promise<T | undefined>): Promise<T> {
    let result: T | undefined;
    try {
      result = await verify();
    } catch (error) {
      this.options.logger.info('passkey response refused', { reason: error instanceof Error ? error.message : '' });
      throw invalid('The passkey could not be verified.');
    }
    if (result === undefined) throw invalid('The passkey could not be verified.');
    return result;
  }

  private relyingParty(): RelyingParty {
    if (!this.options.rp) throw new AppError('passkeys-unavailable', 'Passkeys are not set up on this server.');
    return this.options.rp;
  }
}

export function isFresh(session: ActiveSession, now: number): boolean {
  const at = session.row.verifiedAt ? Date.parse(session.row.verifiedAt) : NaN;
  return at <= now && now - at < STEP_UP_FRESH_MS;
}

function credentialOf(row: PasskeyRow): StoredCredential {
  return {
    credentialId: row.credentialId,
    publicKey: row.publicKey,
    counter: row.counter,
    transports: JSON.parse(row.transports) as StoredCredential['transports'],
  };
}

function registerBinding(session: ActiveSession): ChallengeBinding {
  return { purpose: 'register', username: session.username, sessionId: session.sessionId };
}

function stepUpBinding(session: ActiveSession): ChallengeBinding {
  return { purpose: 'step-up', username: session.username, sessionId: session.sessionId };
}

function isoNow(now: () => number): string {
  return new Date(now()).toISOString();
}

function invalid(message: string): AppError {
  return new AppError('passkey-invalid', message);
}
