// Sends call events in order per call: an event is only sent once the previous event of the same
// call is settled (delivered or given up), so an `answer` never overtakes its `incomingcall`.
// Different calls are independent. Every delivery is reported to `record`.
import { deliverEvent, type DeliveryResult, type FetchLike } from './event-delivery';
import type { EventFaults } from './event-faults';
import type { CallEventPayload } from './event-payload';
import type { EventTarget } from './event-target';

export interface EventLogEntry extends DeliveryResult {
  eventType: string;
  time: string; // the event's `time` field
  payload: CallEventPayload;
  /** 1 for the normal delivery; 2… for copies injected by an event fault. */
  copy: number;
  delayedMs?: number;
}

export interface EventDispatcherOptions {
  faults: EventFaults;
  fetch?: FetchLike;
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

export class EventDispatcher {
  private readonly chains = new Map<string, Promise<void>>();
  private readonly abort = new AbortController();

  constructor(private readonly options: EventDispatcherOptions) {}

  send(callId: string, target: EventTarget, payload: CallEventPayload, record: (entry: EventLogEntry) => void): void {
    if (this.abort.signal.aborted) return;
    const previous = this.chains.get(callId) ?? Promise.resolve();
    const next = previous.then(() => this.deliver(callId, target, payload, record));
    this.chains.set(callId, next);
    // Forget a settled chain so finished calls do not pin memory.
    void next.then(() => {
      if (this.chains.get(callId) === next) this.chains.delete(callId);
    });
  }

  /** Resolves when every queued event has been delivered or given up. */
  async idle(): Promise<void> {
    while (this.chains.size > 0) await Promise.all([...this.chains.values()]);
  }

  /** Aborts in-flight deliveries and drops queued ones. */
  async close(): Promise<void> {
    this.abort.abort();
    await this.idle();
  }

  private async deliver(
    callId: string,
    target: EventTarget,
    payload: CallEventPayload,
    record: (entry: EventLogEntry) => void,
  ): Promise<void> {
    const signal = this.abort.signal;
    if (signal.aborted) return;
    const eventType = payload.eventType ?? 'unknown';
    const effect = this.options.faults.take(eventType, callId);
    if (effect.delayMs > 0) await sleep(effect.delayMs, signal);
    for (let copy = 1; copy <= effect.copies && !signal.aborted; copy++) {
      const result = await deliverEvent(target, payload, { fetch: this.options.fetch, signal });
      record({
        eventType,
        time: payload.time ?? '',
        payload,
        copy,
        ...(effect.delayMs > 0 ? { delayedMs: effect.delayMs } : {}),
        ...result,
      });
      if (!result.delivered) {
        this.options.log?.('event not delivered', {
          callId,
          eventType,
          url: result.url,
          status: result.status,
          error: result.error,
        });
      }
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
