// The calling limits (docs/security.md "Calls"), kept in Table Storage so they hold across instances. Every call
// one of our users places is admitted here before the provider acts, and finished here once it ends:
//
//   admit  ─► the user's row (partition callUser): calls going now (each with a time it expires by itself, so a
//             lost hang-up event cannot block the user for good), this hour's calls, today's reserved seconds;
//             one read and one ETag-guarded write. A call reserves its longest length (MAX_CALL_SECONDS, or
//             less when the day's minutes run short) and that length is the call's cap. Calls to phone numbers
//             also read the breaker row (partition outboundMinutes) and stop while it is open.
//   finish ─► the row again: the call leaves the list and gives back what it reserved but did not talk; a call to
//             a phone number adds what it talked to the hour's outbound minutes, and the call that reaches
//             OUTBOUND_MINUTES_PER_HOUR opens the breaker: no call to a phone number is admitted until an
//             operator lifts it (deletes the row), whatever the hour.
//
// Each admitted call also gets a row in partition callActive (its cap and when it was admitted), which the
// watchdog (routing/overdue-calls.ts) reads to end calls past their cap. Admission fails closed: a storage
// error is thrown, and the handler then ends the call.
import type { Logger } from '../log';
import { isStorageConflict, type EntityTable, type Stored } from '../storage/entity-table';
import type { LimitSettings } from './limit-settings';
import { DAY_MS, HOUR_MS } from './window-counters';

export type CallLimitSettings = Pick<
  LimitSettings,
  | 'concurrentCallsPerUser'
  | 'callsPerUserPerHour'
  | 'callMinutesPerUserPerDay'
  | 'maxCallSeconds'
  | 'outboundMinutesPerHour'
>;

export type CallRefusal =
  'concurrent-call-limit' | 'hourly-call-limit' | 'daily-minutes-limit' | 'outbound-calls-paused';

export type Admission = { ok: true; maxCallSeconds: number } | { ok: false; reason: CallRefusal };

/** A call as admitted: whose allowance it uses, and whether it goes to a phone number (the breaker counts those). */
export interface LimitedCall {
  callId: string;
  username: string;
  toPhone: boolean;
}

/** An admitted call the watchdog should look at: its cap has passed since it was admitted. */
export interface OverdueCandidate extends LimitedCall {
  admittedAt: number;
  maxCallSeconds: number;
}

/** How long a call may ring before it is answered (Catapult's transfer rings at most 300 s). */
export const RING_ALLOWANCE_MS = 5 * 60_000;
/** The watchdog runs each minute; a call's place in the list outlives its cap by that much and some. */
const WATCHDOG_SLACK_MS = 3 * 60_000;
/** A call is not worth admitting with less talk time left than this. */
const MIN_CALL_SECONDS = 10;

interface ActiveCall {
  id: string;
  /** When the entry stops counting even if no hang-up ever arrives (ms). */
  until: number;
  /** Seconds reserved from the day window that started at `day`. */
  reserved: number;
  day: number;
}

interface UserRow {
  active: string; // JSON ActiveCall[]
  hourStart: number;
  hourCalls: number;
  dayStart: number;
  daySeconds: number;
}

export interface OutboundRow {
  windowStart: number;
  seconds: number;
  /** Set when the breaker opened (ISO); empty or absent while closed. Only an operator lifts it (outbound-breaker.ts). */
  trippedAt?: string;
}

interface ActiveRow {
  username: string;
  toPhone: boolean;
  admittedAt: number;
  maxCallSeconds: number;
}

const USER = 'callUser';
const ACTIVE = 'callActive';
export const OUTBOUND_PARTITION = 'outboundMinutes';
export const OUTBOUND_ROW = 'app';
const ATTEMPTS = 12;

export class CallLimits {
  private readonly now: () => number;

  constructor(
    private readonly options: {
      table: EntityTable;
      settings: CallLimitSettings;
      logger: Logger;
      now?: () => number;
    },
  ) {
    this.now = options.now ?? Date.now;
  }

  private get table(): EntityTable {
    return this.options.table;
  }

  /** Admits the call or says which limit refuses it. The same call admitted twice (a duplicate event) is one call. */
  async admit(call: LimitedCall): Promise<Admission> {
    const { settings } = this.options;
    const breaker = call.toPhone ? this.breakerOpen() : Promise.resolve(false);
    for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
      const now = this.now();
      const [row, open] = await Promise.all([this.table.get<UserRow>(USER, call.username), breaker]);
      if (open) return { ok: false, reason: 'outbound-calls-paused' };
      const state = currentState(row, now);
      const already = state.active.find((a) => a.id === call.callId);
      if (already) return { ok: true, maxCallSeconds: already.reserved };
      if (state.active.length >= settings.concurrentCallsPerUser) return { ok: false, reason: 'concurrent-call-limit' };
      if (state.hourCalls >= settings.callsPerUserPerHour) return { ok: false, reason: 'hourly-call-limit' };
      const left = settings.callMinutesPerUserPerDay * 60 - state.daySeconds;
      if (left < MIN_CALL_SECONDS) return { ok: false, reason: 'daily-minutes-limit' };
      const maxCallSeconds = Math.min(settings.maxCallSeconds, left);
      const until = now + RING_ALLOWANCE_MS + maxCallSeconds * 1000 + WATCHDOG_SLACK_MS;
      const entity = {
        partitionKey: USER,
        rowKey: call.username,
        active: JSON.stringify([
          ...state.active,
          { id: call.callId, until, reserved: maxCallSeconds, day: state.dayStart },
        ]),
        hourStart: state.hourStart,
        hourCalls: state.hourCalls + 1,
        dayStart: state.dayStart,
        daySeconds: state.daySeconds + maxCallSeconds,
      };
      // The watchdog's index row goes in parallel with the user's row (one round trip fewer before the call is
      // routed). An index row whose admission then lost a race or was refused is harmless: the watchdog finds no
      // such call in the user's list and deletes it.
      const index: ActiveRow = { username: call.username, toPhone: call.toPhone, admittedAt: now, maxCallSeconds };
      const [userWrite, indexWrite] = await Promise.allSettled([
        row ? this.table.update(entity, row.etag) : this.table.create(entity),
        this.writeIndex(call.callId, index),
      ]);
      if (userWrite.status === 'rejected') {
        if (!isStorageConflict(userWrite.reason)) throw userWrite.reason;
        continue; // another call of this user was admitted or finished first: read again
      }
      if (indexWrite.status === 'rejected') throw indexWrite.reason;
      return { ok: true, maxCallSeconds };
    }
    // Still racing after every attempt: this user is placing calls faster than storage settles them.
    return { ok: false, reason: 'concurrent-call-limit' };
  }

  /**
   * The call ended (`talkedSeconds` from answer to end, 0 if never answered): frees its place, gives back the
   * reserved time it did not use, and counts a call to a phone number against the hour's outbound minutes.
   * Safe to repeat: only the first removal of the call from the user's list changes the user's counts.
   */
  async finish(call: LimitedCall, talkedSeconds: number): Promise<void> {
    const talked = Math.max(0, Math.ceil(talkedSeconds));
    const removed = await this.release(call, talked);
    if (removed && call.toPhone && talked > 0) await this.countOutbound(talked);
    await this.table.delete(ACTIVE, call.callId, '*');
  }

  /** Admitted calls whose cap has passed since admission (the cap counts from the answer, which is later). */
  async overdueCandidates(): Promise<OverdueCandidate[]> {
    const now = this.now();
    const rows = await this.table.list<ActiveRow>(ACTIVE);
    return rows
      .filter((row) => Number(row.admittedAt) + Number(row.maxCallSeconds) * 1000 <= now)
      .map((row) => ({
        callId: row.rowKey,
        username: row.username,
        toPhone: row.toPhone === true,
        admittedAt: Number(row.admittedAt),
        maxCallSeconds: Number(row.maxCallSeconds),
      }));
  }

  /** The call's index row, as this admission attempt set it (an earlier attempt's row is overwritten). */
  private async writeIndex(callId: string, index: ActiveRow): Promise<void> {
    const entity = { partitionKey: ACTIVE, rowKey: callId, ...index };
    try {
      await this.table.create(entity);
    } catch (error) {
      if (!isStorageConflict(error, 'exists')) throw error;
      await this.table.update(entity, '*');
    }
  }

  /** Whether calls to phone numbers are stopped: the breaker is open, or the operator set the limit to 0. */
  async breakerOpen(): Promise<boolean> {
    if (this.options.settings.outboundMinutesPerHour <= 0) return true;
    const row = await this.table.get<OutboundRow>(OUTBOUND_PARTITION, OUTBOUND_ROW);
    return Boolean(row?.trippedAt);
  }

  private async release(call: LimitedCall, talked: number): Promise<boolean> {
    for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
      const row = await this.table.get<UserRow>(USER, call.username);
      if (!row) return false;
      const state = currentState(row, this.now());
      const entries = parseActive(row.active);
      const entry = entries.find((a) => a.id === call.callId);
      if (!entry) return false; // finished already, or expired from the list
      // Unused reservation back (or, past the cap by the watchdog's lag, the extra charged), in its own day only.
      const sameDay = entry.day === state.dayStart;
      const daySeconds = sameDay ? Math.max(0, state.daySeconds + talked - entry.reserved) : state.daySeconds;
      const entity = {
        ...keyOf(row),
        active: JSON.stringify(entries.filter((a) => a.id !== call.callId)),
        daySeconds,
        dayStart: state.dayStart,
      };
      try {
        await this.table.update(entity, row.etag);
        return true;
      } catch (error) {
        if (!isStorageConflict(error)) throw error;
      }
    }
    this.options.logger.warn('could not free a call limit slot; it expires by itself', { callId: call.callId });
    return false;
  }

  private async countOutbound(talked: number): Promise<void> {
    const limitSeconds = this.options.settings.outboundMinutesPerHour * 60;
    for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
      const now = this.now();
      const windowStart = now - (now % HOUR_MS);
      const row = await this.table.get<OutboundRow>(OUTBOUND_PARTITION, OUTBOUND_ROW);
      const current = row && Number(row.windowStart) >= windowStart;
      const seconds = (current ? Number(row.seconds) : 0) + talked;
      const tripping = !row?.trippedAt && seconds >= limitSeconds;
      const entity = {
        partitionKey: OUTBOUND_PARTITION,
        rowKey: OUTBOUND_ROW,
        windowStart: current ? Number(row.windowStart) : windowStart,
        seconds,
        ...(row?.trippedAt ? { trippedAt: row.trippedAt } : {}),
        ...(tripping ? { trippedAt: new Date(now).toISOString() } : {}),
      };
      try {
        if (row) await this.table.update(entity, row.etag);
        else await this.table.create(entity);
        if (tripping) {
          this.options.logger.error('outbound circuit breaker opened: calls to phone numbers stop until lifted', {
            minutesThisHour: Math.floor(seconds / 60),
          });
        }
        return;
      } catch (error) {
        if (!isStorageConflict(error)) throw error;
      }
    }
    this.options.logger.error('could not count outbound minutes', { seconds: talked });
  }
}

/** The user's row as of now: expired calls dropped, windows that ended started afresh. */
function currentState(row: Stored<UserRow> | undefined, now: number) {
  const hourStart = now - (now % HOUR_MS);
  const dayStart = now - (now % DAY_MS);
  const hourCurrent = row !== undefined && Number(row.hourStart) >= hourStart;
  const dayCurrent = row !== undefined && Number(row.dayStart) >= dayStart;
  return {
    active: parseActive(row?.active).filter((a) => a.until > now),
    hourStart: hourCurrent ? Number(row.hourStart) : hourStart,
    hourCalls: hourCurrent ? Number(row.hourCalls) : 0,
    dayStart: dayCurrent ? Number(row.dayStart) : dayStart,
    daySeconds: dayCurrent ? Number(row.daySeconds) : 0,
  };
}

function parseActive(text: string | undefined): ActiveCall[] {
  if (!text) return [];
  try {
    const value = JSON.parse(text) as unknown;
    return Array.isArray(value) ? (value as ActiveCall[]) : [];
  } catch {
    return [];
  }
}

function keyOf(row: { partitionKey: string; rowKey: string }) {
  return { partitionKey: row.partitionKey, rowKey: row.rowKey };
}
