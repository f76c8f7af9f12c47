// Injected delivery faults for the control API (POST /sandbox/event-faults): the next matching
// events are delivered more than once and/or late, so apps can prove their webhooks are idempotent
// and tolerate late events.
import { badRequest } from '../errors';

export interface EventFaultSpec {
  eventType?: string;
  callId?: string;
  /** How many matching events the fault shapes; default 1. */
  count: number;
  /** Total deliveries of each matching event; default 1 (2 = delivered twice). */
  duplicate: number;
  /** Wait before delivering; later events of the same call wait too, keeping per-call order. */
  delayMs: number;
}

export interface EventFaultEffect {
  copies: number;
  delayMs: number;
}

const MAX_COPIES = 10;
const MAX_DELAY_MS = 60_000;

export function parseEventFault(body: unknown): EventFaultSpec {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest('validation-error', 'The body must be a JSON object');
  }
  const input = body as Record<string, unknown>;
  const optionalString = (name: string): string | undefined => {
    const value = input[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value.length === 0)
      throw badRequest('validation-error', `${name} must be a non-empty string`);
    return value;
  };
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const value = input[name];
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw badRequest('validation-error', `${name} must be an integer from ${min} to ${max}`);
    }
    return value;
  };
  const spec: EventFaultSpec = {
    eventType: optionalString('eventType'),
    callId: optionalString('callId'),
    count: integer('count', 1, 1, 1000),
    duplicate: integer('duplicate', 1, 1, MAX_COPIES),
    delayMs: integer('delayMs', 0, 0, MAX_DELAY_MS),
  };
  if (spec.duplicate === 1 && spec.delayMs === 0) {
    throw badRequest('validation-error', 'Give duplicate (≥ 2) and/or delayMs (> 0)');
  }
  return spec;
}

export class EventFaults {
  private faults: Array<EventFaultSpec & { id: number; remaining: number }> = [];
  private nextId = 1;

  add(spec: EventFaultSpec): { id: number } {
    const id = this.nextId++;
    this.faults.push({ ...spec, id, remaining: spec.count });
    return { id };
  }

  clear(): void {
    this.faults = [];
  }

  list(): EventFaultSpec[] {
    return this.faults.map(({ eventType, callId, remaining, duplicate, delayMs }) => ({
      ...(eventType === undefined ? {} : { eventType }),
      ...(callId === undefined ? {} : { callId }),
      count: remaining,
      duplicate,
      delayMs,
    }));
  }

  /** The effect on this event; consumes one use of the first matching fault. */
  take(eventType: string, callId: string): EventFaultEffect {
    const fault = this.faults.find(
      (f) =>
        (f.eventType === undefined || f.eventType === eventType) && (f.callId === undefined || f.callId === callId),
    );
    if (!fault) return { copies: 1, delayMs: 0 };
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults = this.faults.filter((f) => f !== fault);
    return { copies: fault.duplicate, delayMs: fault.delayMs };
  }
}
