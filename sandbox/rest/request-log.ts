// The log of /v1 requests behind GET /sandbox/requests: tests count Catapult round trips with it
// (e.g. to prove a number was ordered exactly once). It never holds headers or bodies, so no secret.

export interface RequestLogEntry {
  method: string;
  path: string; // raw path as sent, e.g. /v1/users/u-x/phoneNumbers/%2B19195551212
  query: Record<string, string>; // last value wins for a repeated name
  status: number; // 0 when the connection was dropped (fault `drop`) before an answer
  startedAt: string; // ISO 8601
  durationMs: number;
  faultId?: string; // set when a fault shaped this answer
}

/** Old entries are discarded beyond this, so a long-running sandbox does not grow without bound. */
const MAX_ENTRIES = 10_000;

export class RequestLog {
  private entries: RequestLogEntry[] = [];

  record(entry: RequestLogEntry): void {
    this.entries.push(entry);
    if (this.entries.length > MAX_ENTRIES) this.entries.splice(0, this.entries.length - MAX_ENTRIES);
  }

  list(): RequestLogEntry[] {
    return this.entries.map((entry) => ({ ...entry, query: { ...entry.query } }));
  }

  clear(): void {
    this.entries = [];
  }
}
