// Asking before dialling: one request per number (prefetched once it looks whole), a failed check lets the call
// go ahead and is asked again next time; and the per-device settings store that never throws.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DialCheckResponse } from '../../../core/api-types';
import { createDialChecks } from '../../../web/src/dial-checks';
import { createLocalSettings } from '../../../web/src/local-settings';

const ALLOWED: DialCheckResponse = { allowed: true, number: '+19195550199', nationalNumber: '(919) 555-0199' };

describe('dial checks', () => {
  it('asks once per number, in whatever format it was typed, and only when it looks whole', async () => {
    const asked: string[] = [];
    const checks = createDialChecks(async (typed) => {
      asked.push(typed);
      return ALLOWED;
    });
    checks.prefetch('919555');
    assert.deepEqual(asked, [], 'not a whole number yet');
    checks.prefetch('919-555-0199');
    assert.deepEqual(await checks.check('(919) 555-0199'), ALLOWED);
    assert.deepEqual(asked, ['919-555-0199'], 'the prefetched answer is used');
  });

  it('answers undefined when the check fails (the call goes ahead), and asks again next time', async () => {
    let fail = true;
    let asked = 0;
    const checks = createDialChecks(async () => {
      asked += 1;
      if (fail) throw new Error('network-error');
      return ALLOWED;
    });
    assert.equal(await checks.check('9195550199'), undefined);
    fail = false;
    assert.deepEqual(await checks.check('9195550199'), ALLOWED);
    assert.equal(asked, 2);
  });
});

describe('local settings', () => {
  it('reads back what it wrote, drops what is malformed or invalid, and survives storage that throws', () => {
    const data = new Map<string, string>();
    const storage = {
      getItem: (key: string) => data.get(key) ?? null,
      setItem: (key: string, value: string) => void data.set(key, value),
      removeItem: (key: string) => void data.delete(key),
    };
    const isString = (value: unknown): value is string => typeof value === 'string';
    const settings = createLocalSettings(storage);
    settings.write('seen', '2026-11-26T10:00:00Z');
    assert.equal(data.get('voice-ref.seen'), '"2026-11-26T10:00:00Z"');
    assert.equal(settings.read('seen', isString), '2026-11-26T10:00:00Z');
    data.set('voice-ref.bad', '{not json');
    data.set('voice-ref.number', '42');
    assert.equal(settings.read('bad', isString), undefined);
    assert.equal(settings.read('number', isString), undefined);

    const broken = createLocalSettings({
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => undefined,
    });
    broken.write('seen', 'x');
    assert.equal(broken.read('seen', isString), 'x', 'kept for this page when it cannot be stored');
    assert.equal(broken.read('other', isString), undefined);
  });
});
