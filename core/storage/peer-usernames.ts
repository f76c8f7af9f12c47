// Who the other party of a call is, by username, when their number belongs to a user of the app: the history
// shows "alice" beside (919) 555-0100. Resolved when the history is read, not when a call is routed, so routing
// does no extra storage work and every provider's history gets it the same way.
// A user's number never changes and saved users are never deleted, so a found name is kept for the worker's
// life (bounded); "nobody's number" is kept only briefly, since a sign-up may take that number any moment.
import type { Logger } from '../log';

export const MISSING_PEER_TTL_MS = 5_000;
const MAX_ENTRIES = 10_000; // then start afresh: a bound on memory, not an LRU

interface Entry {
  username: string | undefined;
  expires: number;
}

export class PeerUsernames {
  private readonly entries = new Map<string, Entry>();

  constructor(
    /** The username whose number this is, or undefined; may throw (storage down). */
    private readonly lookup: (e164: string) => Promise<string | undefined>,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The records with `peerUsername` where the peer is a user's number. Best effort: when storage fails the
   * history is still worth showing, so the records come back without the names (and the failure is logged).
   */
  async annotate<T extends { peer: string }>(records: T[]): Promise<Array<T & { peerUsername?: string }>> {
    const peers = [...new Set(records.map((record) => record.peer).filter((peer) => /^\+\d{7,15}$/.test(peer)))];
    let names: Map<string, string | undefined>;
    try {
      names = new Map(await Promise.all(peers.map(async (peer) => [peer, await this.username(peer)] as const)));
    } catch (error) {
      this.logger.warn('call history without peer names', { code: (error as { code?: string }).code });
      return records;
    }
    return records.map((record) => {
      const peerUsername = names.get(record.peer);
      return peerUsername ? { ...record, peerUsername } : record;
    });
  }

  private async username(e164: string): Promise<string | undefined> {
    const hit = this.entries.get(e164);
    if (hit && (hit.username !== undefined || hit.expires > this.now())) return hit.username;
    const username = await this.lookup(e164);
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(e164, { username, expires: this.now() + MISSING_PEER_TTL_MS });
    return username;
  }
}
