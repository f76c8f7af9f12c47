// The user's SIP password, decrypted. If it no longer decrypts (APP_SECRET was rotated, so the sealing key
// changed), a new password is set on the user's calling identity at the provider and sealed under the
// current key, instead of leaving the person without working credentials. Rotation (on request, and with
// "log out everywhere") sets a new one the same way.
import { randomPassword } from '../crypto/random';
import { AppError } from '../errors';
import { decryptSecret, encryptSecret } from '../crypto/secret-box';
import type { Logger } from '../log';
import type { ProviderIdentities } from '../provider/voice-provider';
import type { Stored } from '../storage/entity-table';
import type { UserRecord, UserStore } from '../storage/user-store';

export interface SipPasswordDeps {
  sipPasswordKey: Buffer;
  identities: ProviderIdentities;
  users: UserStore;
  logger: Logger;
}

export async function readSipPassword(deps: SipPasswordDeps, user: Stored<UserRecord>): Promise<string> {
  const pending = unseal(deps, user, user.sipPasswordPendingSealed);
  if (pending !== undefined) return finishRotation(deps, user.username, pending);
  const current = unseal(deps, user, user.sipPasswordSealed);
  if (current !== undefined) return current;
  deps.logger.warn('stored SIP password does not decrypt (APP_SECRET changed?); issuing a new one', {
    username: user.username,
  });
  return rotateSipPassword(deps, user);
}

/**
 * A new random SIP password. Three steps, so that a fault or a stop between any two never leaves the person with
 * a password the provider does not hold: the new one is sealed as PENDING first, then set at the provider, then
 * made current. A read that finds a pending one sets it at the provider again (setting the same password twice is
 * harmless) before showing it. Faults: AppError provider-* (nothing changed at the provider, or the pending one
 * is finished on the next read), storage-* ; a provider without SIP passwords: `sip-account-unavailable`.
 */
export async function rotateSipPassword(deps: SipPasswordDeps, user: Stored<UserRecord>): Promise<string> {
  const password = randomPassword();
  await deps.users.update(user, { sipPasswordPendingSealed: seal(deps, user.username, password) });
  return finishRotation(deps, user.username, password);
}

async function finishRotation(deps: SipPasswordDeps, username: string, password: string): Promise<string> {
  const user = await deps.users.get(username);
  if (!user) throw new AppError('unauthorized', 'This account no longer exists. Sign up again.');
  await deps.identities.setPassword(user.endpointId ?? '', password);
  await deps.users.update(user, { sipPasswordSealed: seal(deps, username, password), sipPasswordPendingSealed: '' });
  return password;
}

function seal(deps: SipPasswordDeps, username: string, password: string): string {
  return encryptSecret(deps.sipPasswordKey, password, username);
}

/** The sealed value's text, or undefined when there is none or it does not decrypt (another APP_SECRET). */
function unseal(deps: SipPasswordDeps, user: UserRecord, sealed: string | undefined): string | undefined {
  if (!sealed) return undefined;
  try {
    return decryptSecret(deps.sipPasswordKey, sealed, user.username);
  } catch {
    return undefined;
  }
}
