// Who owns the called number and who is calling, for routing, with a small per-worker cache so that
// on a warm worker the claim insert is the only storage request before the transfer.
// Why caching is correct: a user's username, number and calling identity never change after sign-up (only the
// SIP password does, and routing never reads it), and saved users are never deleted, so a found user
// cannot go stale. "Not one of ours" can: a number becomes ours when its sign-up completes, so a miss
// is kept only a few seconds (a call during that sign-up is refused as unknown anyway).
import type { ProviderUser } from '../provider/voice-provider';
import type { UserRecord, UserStore } from '../storage/user-store';
import { normalizeUsername } from '../users/username';
import { looksLikeSip, normalizeSipUri } from './sip-uri';

export const FOUND_TTL_MS = 60_000;
export const MISSING_TTL_MS = 5_000;
const MAX_ENTRIES = 10_000; // then start afresh: a bound on memory, not an LRU

interface Entry {
  user: Promise<ProviderUser | undefined>; // shared, so concurrent calls to one line read it once
  expires: number;
}

export class RoutingUsers {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly users: UserStore,
    private readonly now: () => number,
  ) {}

  byNumber(e164: string): Promise<ProviderUser | undefined> {
    return this.cached(`n:${e164}`, () => this.users.getByNumber(e164));
  }

  /** A user proven by a token the app signed (the name is a valid username already). */
  byUsername(username: string): Promise<ProviderUser | undefined> {
    return this.cached(`u:${username}`, () => this.users.get(username));
  }

  /** The user whose endpoint `from` is: endpoint name = username, and the whole normalised URI must match. */
  async bySipUri(from: string): Promise<ProviderUser | undefined> {
    if (!looksLikeSip(from)) return undefined;
    const sip = normalizeSipUri(from);
    if (!sip) return undefined;
    let username: string;
    try {
      username = normalizeUsername(sip.user);
    } catch {
      return undefined; // not a name any user can have: no read
    }
    const user = await this.cached(`u:${username}`, () => this.users.get(username));
    return user?.sipUri && normalizeSipUri(user.sipUri)?.uri === sip.uri ? user : undefined;
  }

  private cached(key: string, read: () => Promise<UserRecord | undefined>): Promise<ProviderUser | undefined> {
    const hit = this.entries.get(key);
    if (hit && hit.expires > this.now()) return hit.user;
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    const user = read().then((found) => (found ? providerUser(found) : undefined));
    const entry: Entry = { user, expires: this.now() + FOUND_TTL_MS };
    this.entries.set(key, entry);
    user.then(
      (found) => {
        if (!found) entry.expires = this.now() + MISSING_TTL_MS;
      },
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key); // a failed read is never kept
      },
    );
    return user;
  }
}

/** The user as the provider parts see them: who, their number and their calling identity (no secrets). */
export function providerUser(user: UserRecord): ProviderUser {
  return {
    username: user.username,
    number: user.number,
    ...(user.endpointId ? { identityRef: user.endpointId } : {}),
    ...(user.sipUri ? { sipUri: user.sipUri } : {}),
    ...(user.realm ? { realm: user.realm } : {}),
  };
}
