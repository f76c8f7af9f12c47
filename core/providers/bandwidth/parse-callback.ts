// Reads the fields of a Voice API callback body the app uses (bandwidth.yml's callback schemas,
// bandwidth-v2.md §9.2, §9.3), refusing anything that could reach a storage key, a provider path or a log
// unchecked: call ids pass `isCallId`, every string is capped. Unknown fields are ignored (Bandwidth adds them).
import { AppError } from '../../errors';
import { isCallId } from '../../routing/call-id';

export interface VoiceCallback {
  eventType: string;
  callId: string;
  applicationId?: string;
  from: string;
  to: string;
  /** The raw User-to-User header of an In-App call's INVITE (`initiate` only). */
  uui?: string;
  cause?: string;
  parentCallId?: string;
  /** `recordingAvailable`: the recording's id and whether it is usable (complete, partial, error, …). */
  recordingId?: string;
  status?: string;
}

/** Longest value accepted per field: well above what Bandwidth sends (uui: 256 by its schema). */
const LIMITS = {
  eventType: 40,
  applicationId: 100,
  from: 64,
  to: 64,
  uui: 512,
  cause: 40,
  recordingId: 100,
  status: 40,
} as const;

export function parseVoiceCallback(source: unknown): VoiceCallback {
  if (typeof source !== 'object' || source === null || Array.isArray(source))
    throw invalid('A Bandwidth callback must be a JSON object.');
  const raw = source as Record<string, unknown>;
  const text = (name: keyof typeof LIMITS): string | undefined => {
    const value = raw[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') throw invalid(`The callback's ${name} is not a string.`);
    if (value.length > LIMITS[name]) throw invalid(`The callback's ${name} is longer than ${LIMITS[name]} characters.`);
    return value;
  };
  const eventType = text('eventType');
  if (!eventType) throw invalid('The Bandwidth callback has no eventType.');
  const callId = raw.callId;
  if (!isCallId(callId)) throw invalid('The Bandwidth callback has no valid callId.');
  const parentCallId = raw.parentCallId;
  if (parentCallId !== undefined && parentCallId !== null && !isCallId(parentCallId))
    throw invalid('The Bandwidth callback has an invalid parentCallId.');
  const optional = (name: 'applicationId' | 'uui' | 'cause' | 'recordingId' | 'status') => {
    const value = text(name);
    return value === undefined ? {} : { [name]: value };
  };
  return {
    eventType,
    callId,
    from: text('from') ?? '',
    to: text('to') ?? '',
    ...optional('applicationId'),
    ...optional('uui'),
    ...optional('cause'),
    ...optional('recordingId'),
    ...optional('status'),
    ...(typeof parentCallId === 'string' ? { parentCallId } : {}),
  };
}

function invalid(message: string): AppError {
  return new AppError('invalid-json', message);
}
