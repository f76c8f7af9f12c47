// Turns a Catapult webhook body (POST) or query (GET callbacks) into a CallEvent, rejecting anything that
// could reach a storage key or a Catapult path unchecked. Unknown fields are ignored
// (docs/contracts/catapult-v1.md §12.2).
import type { CallEvent } from '../../catapult/catapult-api';
import { AppError } from '../../errors';
import { isCallId } from '../../routing/call-id';

export { isCallId };

export function parseCallEvent(source: unknown): CallEvent {
  if (typeof source !== 'object' || source === null || Array.isArray(source)) {
    throw new AppError('invalid-json', 'A Catapult event must be a JSON object.');
  }
  const raw = source as Record<string, unknown>;
  const text = (name: string) => (typeof raw[name] === 'string' ? raw[name] : undefined);
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
  };
}
