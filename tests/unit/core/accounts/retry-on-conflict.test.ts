// retryOnConflict: a change that loses a race reads and decides again, for a time rather than a count (so a burst
// of copies on slow storage all get through), then answers "busy" with a stable code; other faults pass at once.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { retryOnConflict } from '../../../../core/accounts/account-store';
import { isAppError } from '../../../../core/errors';
import { StorageConflict } from '../../../../core/storage/entity-table';

describe('retryOnConflict', () => {
  it('tries again after each lost race until the change goes through', async () => {
    let tries = 0;
    const result = await retryOnConflict(async () => {
      tries += 1;
      if (tries < 6) throw new StorageConflict('changed', 'the row moved');
      return 'done';
    });
    assert.equal(result, 'done');
    assert.equal(tries, 6);
  });

  it('answers storage-unavailable once its time is up, however many tries that took', async () => {
    let tries = 0;
    const started = Date.now();
    await assert.rejects(
      retryOnConflict(async () => {
        tries += 1;
        throw new StorageConflict('exists', 'someone else won');
      }, 150),
      (error) => isAppError(error) && error.code === 'storage-unavailable' && /busy/.test(error.message),
    );
    assert.ok(Date.now() - started >= 150, 'kept trying for the time given');
    assert.ok(tries >= 2, `${tries} tries`);
  });

  it('passes any other fault through at once', async () => {
    let tries = 0;
    await assert.rejects(
      retryOnConflict(async () => {
        tries += 1;
        throw new Error('storage is down');
      }),
      /storage is down/,
    );
    assert.equal(tries, 1);
  });
});
