// The JSON bodies of Voice API callbacks, field for field as bandwidth.yml's callback schemas name them
// (docs/contracts/bandwidth-v2.md §9.2, §9.3).
import type { BwCall, DisconnectCause } from './bw-call';
import { isoDuration, recordingMediaUrl, type BwRecording } from './recordings';

export type EventType =
  | 'initiate'
  | 'answer'
  | 'redirect'
  | 'disconnect'
  | 'transferAnswer'
  | 'transferComplete'
  | 'transferDisconnect'
  | 'bridgeComplete'
  | 'bridgeTargetComplete'
  | 'recordComplete'
  | 'recordingAvailable';

export interface PayloadContext {
  accountId: string;
  voiceUrl: string;
  now: number;
}

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

export function callbackPayload(
  eventType: EventType,
  call: BwCall,
  ctx: PayloadContext,
  extra: {
    cause?: DisconnectCause;
    errorMessage?: string;
    tag?: string;
    transferOf?: BwCall;
    recording?: BwRecording;
  } = {},
): Record<string, unknown> {
  const base: Record<string, unknown> = {
    eventType,
    eventTime: iso(ctx.now),
    accountId: ctx.accountId,
    applicationId: call.app.applicationId,
    from: call.from,
    to: call.to,
    direction: call.direction,
    callId: call.id,
    callUrl: `${ctx.voiceUrl}/api/v2/accounts/${ctx.accountId}/calls/${call.id}`,
    startTime: iso(call.startTime),
  };
  if (eventType === 'initiate') {
    if (call.uui !== undefined) base.uui = call.uui;
    return base;
  }
  // recordingAvailable has no answerTime in its schema.
  if (call.answerTime !== undefined && eventType !== 'recordingAvailable') base.answerTime = iso(call.answerTime);
  const tag = extra.tag ?? call.tag;
  if (tag !== undefined) base.tag = tag;
  const recording = extra.recording;
  if (recording && (eventType === 'recordComplete' || eventType === 'recordingAvailable')) {
    // The recording's own start and end, as the recording callbacks' pages describe these fields.
    Object.assign(base, {
      startTime: iso(recording.startTime),
      endTime: iso(recording.endTime),
      recordingId: recording.id,
      mediaUrl: recordingMediaUrl(ctx, recording),
      duration: isoDuration(recording.durationMs),
      fileFormat: 'wav',
      channels: 1,
      ...(eventType === 'recordingAvailable' ? { status: 'complete' } : {}),
      ...(call.parentCallId === undefined ? {} : { parentCallId: call.parentCallId }),
    });
    if (recording.tag !== undefined) base.tag = recording.tag;
    return base;
  }
  if (eventType === 'disconnect' || eventType === 'transferDisconnect') base.endTime = iso(call.endTime ?? ctx.now);
  // bridgeTargetComplete has no cause in its schema.
  if (['disconnect', 'transferComplete', 'transferDisconnect', 'bridgeComplete'].includes(eventType)) {
    base.cause = extra.cause ?? call.cause ?? 'hangup';
    const message = extra.errorMessage ?? (eventType === 'disconnect' ? call.errorMessage : undefined);
    if (message !== undefined) base.errorMessage = message;
  }
  if (call.parentCallId !== undefined && ['redirect', 'transferDisconnect'].includes(eventType)) {
    base.parentCallId = call.parentCallId;
  }
  // Transfer events carry the B-leg's caller id and target: on the B-leg itself, or (transferComplete) on the A-leg.
  const leg = extra.transferOf ?? (call.parentCallId !== undefined ? call : undefined);
  if (leg && ['redirect', 'transferAnswer', 'transferComplete', 'transferDisconnect'].includes(eventType)) {
    base.transferCallerId = leg.from;
    base.transferTo = leg.to;
  }
  return base;
}
