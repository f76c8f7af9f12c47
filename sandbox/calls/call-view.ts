// How calls look on the wire: the Catapult resource (docs/contracts/catapult-v1.md §11.2) and the richer control-API
// view.
import { redactUrl } from '../events/event-target';
import { eventTime } from '../events/event-payload';
import type { FarEnd } from '../phone-network/far-end';
import type { CallRecord } from './call-record';

export function callPath(userId: string, callId: string): string {
  return `/v1/users/${userId}/calls/${callId}`;
}

/** GET /v1/users/{userId}/calls/{callId}. */
export function catapultCallView(call: CallRecord, baseUrl: string): Record<string, unknown> {
  const optional = (name: string, value: unknown) => (value === undefined ? {} : { [name]: value });
  return {
    id: call.id,
    direction: call.direction,
    from: call.from,
    to: call.to,
    state: call.state,
    startTime: eventTime(call.startTime),
    ...optional('activeTime', call.activeTime === undefined ? undefined : eventTime(call.activeTime)),
    ...optional('endTime', call.endTime === undefined ? undefined : eventTime(call.endTime)),
    ...optional('chargeableDuration', chargeableSeconds(call)),
    ...optional('callTimeout', call.callTimeout),
    ...optional('callbackUrl', call.callbackUrl),
    ...optional('callbackHttpMethod', call.callbackHttpMethod),
    ...optional('callbackTimeout', call.callbackTimeout),
    ...optional('fallbackUrl', call.fallbackUrl),
    events: `${baseUrl}${callPath(call.userId, call.id)}/events`,
    recordingEnabled: call.recordingEnabled,
    transcriptionEnabled: false,
    ...optional('sipHeaders', call.sipHeaders),
    ...optional('tag', call.tag),
  };
}

/** Billed whole minutes, in seconds, once an answered call has ended. */
function chargeableSeconds(call: CallRecord): number | undefined {
  if (call.activeTime === undefined || call.endTime === undefined) return undefined;
  return Math.max(1, Math.ceil((call.endTime - call.activeTime) / 60_000)) * 60;
}

/** GET /sandbox/calls[/{id}]: state, links between legs, media counts and every event delivery. */
export function controlCallView(
  call: CallRecord,
  farEnd: FarEnd | undefined,
  mediaErrors: string[] = [],
): Record<string, unknown> {
  return {
    id: call.id,
    userId: call.userId,
    direction: call.direction,
    from: call.from,
    to: call.to,
    state: call.state,
    startTime: eventTime(call.startTime),
    activeTime: call.activeTime === undefined ? null : eventTime(call.activeTime),
    endTime: call.endTime === undefined ? null : eventTime(call.endTime),
    cause: call.cause ?? null,
    applicationId: call.applicationId ?? null,
    eventUrl: call.eventTarget ? redactUrl(call.eventTarget.url) : null,
    bridgedCallId: call.bridgedCallId ?? null,
    transferredToCallId: call.transferredToCallId ?? null,
    transferredFromCallId: call.transferredFromCallId ?? null,
    ringingForCallId: call.ringingForCallId ?? null,
    farEnd: farEnd ? { kind: farEnd.kind, role: farEnd.role, address: farEnd.address, state: farEnd.state } : null,
    media: farEnd ? farEnd.stats() : null,
    // What the simulated far side hears, and (platformMedia) what Catapult's own media receives from it.
    audioIn: farEnd ? farEnd.audioIn() : null,
    platformMedia: call.platformMedia ? call.platformMedia.stats() : null,
    mediaErrors,
    events: call.events.map((entry) => ({
      eventType: entry.eventType,
      time: entry.time,
      payload: entry.payload,
      copy: entry.copy,
      ...(entry.delayedMs === undefined ? {} : { delayedMs: entry.delayedMs }),
      delivered: entry.delivered,
      url: entry.url,
      status: entry.status ?? null,
      error: entry.error ?? null,
      attempts: entry.attempts,
    })),
  };
}
