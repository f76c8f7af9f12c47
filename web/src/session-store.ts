// Keeps the session (tokens + user) in localStorage: the dialpad and the API are on different
// origins, so there are no cookies. Storage access is wrapped once so callers never see it throw
// (private mode, storage disabled, quota), and an ended, expired or malformed entry reads as "logged out".
// The access token may have expired: the session lives until refreshExpiresAt, and the API client refreshes.
import type { SessionResponse } from '../../core/api-types';

export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const SESSION_KEY = 'voice-ref.session';

function isSession(value: unknown): value is SessionResponse {
  const session = value as SessionResponse | null;
  return (
    typeof session?.token === 'string' &&
    typeof session.expiresAt === 'string' &&
    typeof session.refreshToken === 'string' &&
    typeof session.refreshExpiresAt === 'string' &&
    typeof session.sessionId === 'string' &&
    typeof session.user?.username === 'string' &&
    typeof session.user.number === 'string' &&
    (session.user.sipUri === undefined || typeof session.user.sipUri === 'string') // Bandwidth users have none
  );
}

export interface SessionStore {
  load(): SessionResponse | undefined;
  save(session: SessionResponse): void;
  clear(): void;
}

export function createSessionStore(storage: KeyValueStorage | undefined, now: () => number = Date.now): SessionStore {
  return {
    load() {
      try {
        const raw = storage?.getItem(SESSION_KEY);
        if (!raw) return undefined;
        const session = JSON.parse(raw) as unknown;
        if (!isSession(session) || !(Date.parse(session.refreshExpiresAt) > now())) {
          storage?.removeItem(SESSION_KEY);
          return undefined;
        }
        return session;
      } catch {
        return undefined;
      }
    },
    save(session) {
      try {
        storage?.setItem(SESSION_KEY, JSON.stringify(session));
      } catch {
        // Storage unavailable: the session lives for this page only, which still works.
      }
    },
    clear() {
      try {
        storage?.removeItem(SESSION_KEY);
      } catch {
        // Nothing stored, nothing to clear.
      }
    },
  };
}

/** localStorage, or undefined where reading the property itself throws (some privacy modes). */
export function browserStorage(): KeyValueStorage | undefined {
  try {
    return (globalThis as { localStorage?: KeyValueStorage }).localStorage;
  } catch {
    return undefined;
  }
}
