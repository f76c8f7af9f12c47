// Turns a Catapult webhook body (POST) or query (GET callbacks) into a CallEvent, rejecting anything that
// could reach a storage key or a Catapult path unchecked. Unknown fields are ignored
// (docs/contracts/catapult-v1.md §12.2).
import type { CallEvent } from '../../catapult/catapult-api';
import { AppError } from '../../errors';
import { isCallId } from '../../routing/call-id';

export { isCallId };

/**
 * The longest each field may be. Real values are far shorter (ids of ~30 characters, E.164 numbers, SIP URIs);
 * the caps keep a forged or broken event from writing kilobytes into a user's history.
 */
export const EVENT_FIELD_MAX_LENGTH: Readonly<Record<string, number>> = {
  eventType: 64,
  callId: 128,
  callUri: 512,
  from: 256,
  to: 256,
  callState: 32,
  applicationId: 128,
  cause: 64,
  tag: 256,
  time: 64,
  status: 32,
  recordingId: 128,
  dtmfDigit: 8,
};

export function parseCallEvent(source: unknown): CallEvent {
  if (typeof source !== 'object' || source === null || Array.isArray(source)) {
    throw new AppError('invalid-json', 'A Catapult event must be a JSON object.');
  }
  const raw = source as Record<string, unknown>;
  const text = (name: string): string | undefined => {
    const value = raw[name];
    if (typeof value !== 'string') return undefined;
    const max = EVENT_FIELD_MAX_LENGTH[name] ?? 256;
    if (value.length > max) throw new AppError('invalid-json', `The Catapult event's ${name} is longer than ${max}.`);
    return value;
  };
  const eventType = text('eventType');
  const callId = text('callId');
  if (!eventType) throw new AppError('invalid-json', 'The Catapult event has no eventType.');
  if (!isCallId(callId)) throw new AppError('invalid-json', 'The Catapult event has no valid callId.');
  return {
    eventType,
    callId,
    callUri: text('callUri'),
    from: text('from') ?? '',
    to: text('to') ?? '',
    callState: text('callState'),
    applicationId: text('applicationId'),
    cause: text('cause'),
    tag: text('tag'),
    time: text('time') ?? new Date().toISOString(),
    status: text('status'),
    recordingId: text('recordingId'),
    dtmfDigit: text('dtmfDigit'),
  };
}
