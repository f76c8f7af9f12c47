// The body of each Catapult call event, with exactly the fields the contract documents for its type
// (docs/contracts/catapult-v1.md §12.2), in the documented order. Pure: the caller supplies the time.
import type { HangupCause } from '../calls/network';

export type CallEventType = 'incomingcall' | 'answer' | 'hangup' | 'timeout';

/** What an event needs to know about its call. */
export interface EventCallFacts {
  callId: string;
  userId: string;
  from: string;
  to: string;
  applicationId?: string;
  tag?: string;
}

export type CallEventPayload = Record<string, string>;

export function callUri(baseUrl: string, userId: string, callId: string): string {
  return `${baseUrl}/v1/users/${userId}/calls/${callId}`;
}

/** ISO 8601 UTC with milliseconds, e.g. 2013-02-13T17:46:08.374Z. */
export function eventTime(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

export function buildEventPayload(
  eventType: CallEventType,
  call: EventCallFacts,
  options: { baseUrl: string; time: number; cause?: HangupCause },
): CallEventPayload {
  const uri = callUri(options.baseUrl, call.userId, call.callId);
  const time = eventTime(options.time);
  const tag: Record<string, string> = call.tag === undefined ? {} : { tag: call.tag };
  switch (eventType) {
    case 'incomingcall':
      // The documented sample says callState "active" even before the call is answered.
      return {
        eventType,
        callId: call.callId,
        callUri: uri,
        from: call.from,
        to: call.to,
        callState: 'active',
        ...(call.applicationId === undefined ? {} : { applicationId: call.applicationId }),
        time,
      };
    case 'answer':
      return {
        eventType,
        from: call.from,
        to: call.to,
        callState: 'active',
        callId: call.callId,
        callUri: uri,
        ...tag,
        time,
      };
    case 'hangup':
      return {
        eventType,
        callId: call.callId,
        callUri: uri,
        from: call.from,
        to: call.to,
        callState: 'completed',
        cause: options.cause ?? 'NORMAL_CLEARING',
        ...tag,
        time,
      };
    case 'timeout':
      return { eventType, callId: call.callId, callUri: uri, from: call.from, to: call.to, time };
  }
}
