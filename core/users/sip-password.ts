// The user's SIP password, decrypted. If it no longer decrypts (APP_SECRET was rotated, so the sealing key
// changed), a new password is set on the user's calling identity at the provider and sealed under the
// current key, instead of leaving the person without working credentials.
import { randomPassword } from '../crypto/random';
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
  try {
    if (user.sipPasswordSealed) return decryptSecret(deps.sipPasswordKey, user.sipPasswordSealed, user.username);
  } catch {
    deps.logger.warn('stored SIP password does not decrypt (APP_SECRET changed?); issuing a new one', {
      username: user.username,
    });
  }
  const password = randomPassword();
  await deps.identities.setPassword(user.endpointId ?? '', password);
  await deps.users.update(user, { sipPasswordSealed: encryptSecret(deps.sipPasswordKey, password, user.username) });
  return password;
}
