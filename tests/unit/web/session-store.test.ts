import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SessionResponse } from '../../../core/api-types';
import { createSessionStore, type KeyValueStorage } from '../../../web/src/session-store';

function memoryStorage(): KeyValueStorage & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}

const NOW = Date.parse('2026-11-26T10:00:00Z');
const session: SessionResponse = {
  token: 'tok',
  expiresAt: '2026-11-26T10:10:00Z',
  refreshToken: 'rt1.refresh',
  refreshExpiresAt: '2026-11-26T11:00:00Z',
  sessionId: 'AAAAAAAAAAAAAAAAAAAAAA',
  passkeySetup: 'none',
  user: {
    username: 'alice',
    number: '+19195550100',
    nationalNumber: '(919) 555-0100',
    sipUri: 'sip:a@d',
    createdAt: '2026-11-26T09:00:00Z',
  },
};

describe('session store', () => {
  it('round-trips a session and clears it', () => {
    const storage = memoryStorage();
    const store = createSessionStore(storage, () => NOW);
    store.save(session);
    assert.deepEqual(store.load(), session);
    store.clear();
    assert.equal(store.load(), undefined);
    assert.equal(storage.items.size, 0);
  });

  it('keeps a session whose user has no SIP URI (Bandwidth users have none)', () => {
    const storage = memoryStorage();
    const store = createSessionStore(storage, () => NOW);
    const { sipUri: _none, ...user } = session.user;
    store.save({ ...session, user });
    assert.deepEqual(store.load()?.user, user);
    storage.items.set('voice-ref.session', JSON.stringify({ ...session, user: { ...user, sipUri: 42 } }));
    assert.equal(store.load(), undefined, 'a SIP URI that is not a string is still malformed');
  });

  it('keeps a session whose access token expired (it is refreshed), drops one whose session expired', () => {
    const storage = memoryStorage();
    createSessionStore(storage, () => NOW).save(session);
    assert.deepEqual(createSessionStore(storage, () => Date.parse('2026-11-26T10:30:00Z')).load(), session);
    assert.equal(createSessionStore(storage, () => Date.parse('2026-11-26T11:00:01Z')).load(), undefined);
    assert.equal(storage.items.size, 0, 'expired entry removed');
  });

  it('reads a session stored before sessions could end (no refresh token) as logged out', () => {
    const storage = memoryStorage();
    const { refreshToken: _r, refreshExpiresAt: _e, sessionId: _s, ...old } = session;
    storage.items.set('voice-ref.session', JSON.stringify({ ...old, expiresAt: '2026-12-01T00:00:00Z' }));
    assert.equal(createSessionStore(storage, () => NOW).load(), undefined);
  });

  it('reads malformed entries as logged out', () => {
    const storage = memoryStorage();
    const store = createSessionStore(storage, () => NOW);
    for (const raw of ['{', '"x"', JSON.stringify({ token: 1 }), JSON.stringify({ ...session, user: {} })]) {
      storage.items.set('voice-ref.session', raw);
      assert.equal(store.load(), undefined, raw);
    }
  });

  it('never throws when storage is unavailable', () => {
    const throwing: KeyValueStorage = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => {
        throw new Error('SecurityError');
      },
    };
    const store = createSessionStore(throwing, () => NOW);
    assert.doesNotThrow(() => store.save(session));
    assert.equal(store.load(), undefined);
    assert.doesNotThrow(() => store.clear());
    assert.equal(createSessionStore(undefined).load(), undefined);
  });
});
