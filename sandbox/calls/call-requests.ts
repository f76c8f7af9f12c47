// Parsing and checking the bodies of POST /calls and POST /calls/{id} (docs/contracts/catapult-v1.md §11.1, §11.3).
import type { Directory } from '../context';
import { badRequest } from '../errors';
import { clampTimeout, MAX_CALLBACK_TIMEOUT_MS, type EventTarget } from '../events/event-target';
import {
  bodyObject,
  isCallbackUrl,
  optionalBoolean,
  optionalInteger,
  optionalString,
  validationError,
} from '../rest/validation';
import type { CallRecord } from './call-record';
import { DEFAULT_CALL_TIMEOUT_S, type OutboundLeg } from './call-model';
import { isDialTarget } from './dial-target';

export const MAX_CALL_TIMEOUT_S = 300;
const MAX_SIP_HEADERS = 5;
const MAX_SIP_HEADER_LENGTH = 256;

export type CallUpdate =
  | { action: 'answer' }
  | { action: 'reject' }
  | { action: 'hang-up' }
  | { action: 'transfer'; leg: Omit<OutboundLeg, 'userId' | 'offer' | 'transferredFromCallId'> }
  | { action: 'none' };

interface CallbackFields {
  eventTarget?: EventTarget;
  callbackUrl?: string;
  callbackHttpMethod?: 'GET' | 'POST';
  callbackTimeout?: number;
  fallbackUrl?: string;
}

/** POST /calls: `from` must be a number the account owns. */
export function parseCreateCall(rawBody: unknown, userId: string, directory: Directory): Omit<OutboundLeg, 'offer'> {
  const body = bodyObject(rawBody);
  const from = optionalString(body, 'from');
  if (!from || directory.findNumber(from)?.userId !== userId) {
    throw validationError(`The from number ${from ?? '(missing)'} must be a phone number owned by the user`);
  }
  const to = body.to;
  if (!isDialTarget(to)) throw validationError('Invalid phone number: to must be an E.164 number or a sip: URI');
  const tag = optionalString(body, 'tag', 256);
  return {
    userId,
    from,
    to,
    callTimeout: parseCallTimeout(body),
    ...parseCallbacks(body, {}),
    ...(tag === undefined ? {} : { tag }),
    recordingEnabled: optionalBoolean(body, 'recordingEnabled') ?? false,
    ...parseSipHeaders(body.sipHeaders),
  };
}

/** POST /calls/{id}: which action, with the transfer's fields checked against the call. */
export function parseCallUpdate(rawBody: unknown, call: CallRecord, directory: Directory): CallUpdate {
  const body = bodyObject(rawBody);
  // `tag` is not a documented update field (catapult-v1.md §11.3): accepted and ignored.
  const state = body.state;
  if (state === undefined) {
    optionalBoolean(body, 'recordingEnabled');
    return { action: 'none' };
  }
  switch (state) {
    case 'active':
      return { action: 'answer' };
    case 'rejected':
      return { action: 'reject' };
    case 'completed':
      return { action: 'hang-up' };
    case 'transferring':
      return { action: 'transfer', leg: parseTransfer(body, call, directory) };
    default:
      throw validationError('state must be one of active, rejected, completed, transferring');
  }
}

function parseTransfer(body: Record<string, unknown>, call: CallRecord, directory: Directory) {
  const transferTo = body.transferTo;
  if (transferTo === undefined) throw validationError('transferTo is required');
  if (!isDialTarget(transferTo))
    throw validationError('Invalid phone number: transferTo must be an E.164 number or a sip: URI');
  const callerId = optionalString(body, 'transferCallerId');
  if (callerId !== undefined && !allowedCallerId(callerId, call, directory)) {
    throw validationError(
      call.direction === 'in'
        ? `The callerId ${callerId} must be private, the incoming call's from, or a phone number owned by user`
        : `The callerId ${callerId} must be private or a phone number owned by user`,
    );
  }
  const diversion = optionalString(body, 'diversionTreatment');
  if (diversion !== undefined && !['none', 'propagate', 'stack'].includes(diversion)) {
    throw validationError('diversionTreatment must be none, propagate or stack');
  }
  if (body.whisperAudio !== undefined && (typeof body.whisperAudio !== 'object' || body.whisperAudio === null)) {
    throw validationError('whisperAudio must be an object');
  }
  return {
    from: callerId ?? call.from,
    to: transferTo,
    // [undocumented] Catapult documents no ring timeout for transfers; the sandbox uses callTimeout's rules.
    callTimeout: parseCallTimeout(body),
    ...parseCallbacks(body, call.eventTarget ?? {}),
    recordingEnabled: optionalBoolean(body, 'recordingEnabled') ?? false,
  };
}

/**
 * catapult-v1.md §11.3: incoming → private, its own from, or an owned number; outgoing → private or an owned number.
 */
export function allowedCallerId(callerId: string, call: CallRecord, directory: Directory): boolean {
  if (callerId === 'private') return true;
  if (call.direction === 'in' && callerId === call.from) return true;
  return directory.findNumber(callerId)?.userId === call.userId;
}

function parseCallTimeout(body: Record<string, unknown>): number {
  const callTimeout = optionalInteger(body, 'callTimeout') ?? DEFAULT_CALL_TIMEOUT_S;
  if (callTimeout < 1 || callTimeout > MAX_CALL_TIMEOUT_S) {
    throw validationError(`callTimeout must be from 1 to ${MAX_CALL_TIMEOUT_S} seconds`);
  }
  return callTimeout;
}

/** The leg's own callback fields; a transfer inherits method and timeout from the original leg. */
function parseCallbacks(body: Record<string, unknown>, inherited: Partial<EventTarget>): CallbackFields {
  const callbackUrl = optionalString(body, 'callbackUrl', 2048);
  const fallbackUrl = optionalString(body, 'fallbackUrl', 2048);
  for (const [name, url] of [
    ['callbackUrl', callbackUrl],
    ['fallbackUrl', fallbackUrl],
  ] as const) {
    if (url !== undefined && !isCallbackUrl(url))
      throw badRequest('callback-invalid-url', `${name} must be an absolute http(s) URL`);
  }
  const method = optionalString(body, 'callbackHttpMethod');
  if (method !== undefined && !/^(get|post)$/i.test(method))
    throw validationError('callbackHttpMethod must be GET or POST');
  const callbackTimeout = optionalInteger(body, 'callbackTimeout');
  if (callbackTimeout !== undefined && (callbackTimeout < 1 || callbackTimeout > MAX_CALLBACK_TIMEOUT_MS)) {
    throw validationError(`Callback timeout must not surpass ${MAX_CALLBACK_TIMEOUT_MS}`);
  }
  const callbackHttpMethod = method === undefined ? undefined : (method.toUpperCase() as 'GET' | 'POST');
  const fields: CallbackFields = { callbackUrl, callbackHttpMethod, callbackTimeout, fallbackUrl };
  if (callbackUrl !== undefined) {
    fields.eventTarget = {
      url: callbackUrl,
      fallbackUrl,
      method: callbackHttpMethod ?? inherited.method ?? 'POST',
      timeoutMs: clampTimeout(callbackTimeout ?? inherited.timeoutMs),
    };
  }
  return fields;
}

function parseSipHeaders(value: unknown): { sipHeaders?: Record<string, string> } {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw validationError('sipHeaders must be an object');
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > MAX_SIP_HEADERS) throw validationError(`At most ${MAX_SIP_HEADERS} sipHeaders are allowed`);
  for (const [name, header] of entries) {
    if (!/^X-/i.test(name)) throw validationError(`sipHeaders name ${name} must start with X-`);
    if (typeof header !== 'string' || header.length > MAX_SIP_HEADER_LENGTH) {
      throw validationError(`sipHeaders ${name} must be a string of at most ${MAX_SIP_HEADER_LENGTH} characters`);
    }
  }
  return { sipHeaders: value as Record<string, string> };
}
