// Users stored straight into the stores, as a provider without per-user SIP identities leaves them (no endpointId,
// sipUri, realm or password): for tests of routing and limits that start from signed-up users.
import assert from 'node:assert/strict';
import type { Stores } from '../../../../core/storage/stores';

export async function seedUsers(stores: Stores, users: ReadonlyArray<readonly [username: string, number: string]>) {
  for (const [username, number] of users) {
    const user = { username, number, nationalNumber: number, numberId: `n-${username}`, createdAt: 'x' };
    assert.equal((await stores.users.create(user)).created, true);
  }
}
