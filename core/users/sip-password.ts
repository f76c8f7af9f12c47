// The user's SIP password, decrypted. If it no longer decrypts (APP_SECRET was rotated, so the
// sealing key changed), a new password is set on the Catapult endpoint and sealed under the current
// key, instead of leaving the person without working credentials.
import type { CatapultApi } from '../catapult/catapult-api';
import { randomPassword } from '../crypto/random';
import { decryptSecret, encryptSecret } from '../crypto/secret-box';
import type { Logger } from '../log';
import { mapCatapultError } from '../map-catapult-error';
import type { Stored } from '../storage/entity-table';
import type { UserRecord, UserStore } from '../storage/user-store';

export interface SipPasswordDeps {
  sipPasswordKey: Buffer;
  catapult: CatapultApi;
  users: UserStore;
  domainId: () => Promise<string>;
  logger: Logger;
}

export async function readSipPassword(deps: SipPasswordDeps, user: Stored<UserRecord>): Promise<string> {
  try {
    return decryptSecret(deps.sipPasswordKey, user.sipPasswordSealed, user.username);
  } catch {
    deps.logger.warn('stored SIP password does not decrypt (APP_SECRET changed?); issuing a new one', {
      username: user.username,
    });
  }
  const password = randomPassword();
  try {
    await deps.catapult.updateEndpoint(await deps.domainId(), user.endpointId, { password });
  } catch (error) {
    throw mapCatapultError(error, 'SIP password reset');
  }
  await deps.users.update(user, { sipPasswordSealed: encryptSecret(deps.sipPasswordKey, password, user.username) });
  return password;
}
