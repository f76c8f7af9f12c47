// The operator's side of the outbound-minutes breaker (call-limits.ts opens it): read it, and lift it. Lifting
// also zeroes the current hour's count, or the next call to end would open it again at once; the operator lifts
// it after finding out why it opened (docs/security.md "Lifting a limit").
import type { OutboundBreakerReport } from '../api-types';
import { AppError } from '../errors';
import type { Logger } from '../log';
import { isStorageConflict, type EntityTable } from '../storage/entity-table';
import { OUTBOUND_PARTITION, OUTBOUND_ROW, type OutboundRow } from './call-limits';
import { HOUR_MS } from './window-counters';

const ATTEMPTS = 8;

export interface OutboundBreakerOptions {
  table: EntityTable;
  /** OUTBOUND_MINUTES_PER_HOUR; 0 keeps calls to phone numbers stopped whatever the row says. */
  limitMinutesPerHour: number;
  logger: Logger;
  now: () => number;
}

export async function readOutboundBreaker(options: OutboundBreakerOptions): Promise<OutboundBreakerReport> {
  const row = await options.table.get<OutboundRow>(OUTBOUND_PARTITION, OUTBOUND_ROW);
  return report(options, row);
}

export async function liftOutboundBreaker(options: OutboundBreakerOptions): Promise<OutboundBreakerReport> {
  for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
    const row = await options.table.get<OutboundRow>(OUTBOUND_PARTITION, OUTBOUND_ROW);
    if (!row?.trippedAt) return { ...report(options, row), lifted: false };
    const now = options.now();
    // A merge update cannot drop a property: an empty trippedAt is a closed breaker.
    const closed = { windowStart: now - (now % HOUR_MS), seconds: 0, trippedAt: '' };
    try {
      await options.table.update({ partitionKey: OUTBOUND_PARTITION, rowKey: OUTBOUND_ROW, ...closed }, row.etag);
      options.logger.warn('outbound circuit breaker lifted by an operator', {
        trippedAt: row.trippedAt,
        minutesCounted: Math.floor(Number(row.seconds) / 60),
      });
      return { ...report(options, closed), lifted: options.limitMinutesPerHour > 0 };
    } catch (error) {
      if (!isStorageConflict(error)) throw error; // a call ended meanwhile and counted: read again
    }
  }
  throw new AppError('storage-unavailable', 'Calls kept ending while the breaker was lifted. Try again.');
}

function report(options: OutboundBreakerOptions, row: OutboundRow | undefined): OutboundBreakerReport {
  const now = options.now();
  const current = row !== undefined && Number(row.windowStart) >= now - (now % HOUR_MS);
  const base = {
    minutesThisHour: current ? Math.floor(Number(row.seconds) / 60) : 0,
    limitMinutesPerHour: options.limitMinutesPerHour,
  };
  if (options.limitMinutesPerHour <= 0) return { open: true, reason: 'disabled', ...base };
  if (row?.trippedAt) return { open: true, reason: 'tripped', trippedAt: row.trippedAt, ...base };
  return { open: false, ...base };
}
