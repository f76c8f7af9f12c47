// Recordings made by <Record>: kept in memory per call, their metadata as bandwidth.yml's `callRecordingMetadata`
// and the media as a WAV file (16-bit PCM, 8 kHz mono; see media/wav.ts for why).
import { randomUUID } from 'node:crypto';
import type { BwCall } from './bw-call';

export interface BwRecording {
  id: string;
  callId: string;
  startTime: number;
  endTime: number;
  durationMs: number;
  /** The WAV file; undefined once its media was deleted. */
  media: Buffer | undefined;
  tag?: string;
}

export class RecordingStore {
  private readonly byCall = new Map<string, BwRecording[]>();

  add(fields: Omit<BwRecording, 'id'>): BwRecording {
    const recording = { ...fields, id: `r-${randomUUID()}` };
    const list = this.byCall.get(fields.callId) ?? [];
    list.push(recording);
    this.byCall.set(fields.callId, list);
    return recording;
  }

  all(): BwRecording[] {
    return [...this.byCall.values()].flat();
  }

  ofCall(callId: string): BwRecording[] {
    return this.byCall.get(callId) ?? [];
  }

  find(callId: string, recordingId: string): BwRecording | undefined {
    return this.ofCall(callId).find((recording) => recording.id === recordingId);
  }

  remove(callId: string, recordingId: string): boolean {
    const list = this.ofCall(callId);
    const index = list.findIndex((recording) => recording.id === recordingId);
    if (index < 0) return false;
    list.splice(index, 1);
    return true;
  }
}

/** ISO 8601 duration, as the spec's examples write it (`PT13.67S`). */
export function isoDuration(ms: number): string {
  return `PT${Number((ms / 1000).toFixed(2))}S`;
}

export function recordingMediaUrl(ctx: { accountId: string; voiceUrl: string }, recording: BwRecording): string {
  return `${ctx.voiceUrl}/api/v2/accounts/${ctx.accountId}/calls/${recording.callId}/recordings/${recording.id}/media`;
}

/** GET …/recordings/{recordingId}: the `callRecordingMetadata` schema. */
export function recordingMetadata(
  ctx: { accountId: string; voiceUrl: string },
  call: BwCall,
  recording: BwRecording,
): Record<string, unknown> {
  return {
    applicationId: call.app.applicationId,
    accountId: ctx.accountId,
    callId: call.id,
    ...(call.parentCallId === undefined ? {} : { parentCallId: call.parentCallId }),
    recordingId: recording.id,
    to: call.to,
    from: call.from,
    duration: isoDuration(recording.durationMs),
    direction: call.direction,
    channels: 1,
    startTime: new Date(recording.startTime).toISOString(),
    endTime: new Date(recording.endTime).toISOString(),
    fileFormat: 'wav',
    status: recording.media ? 'complete' : 'deleted',
    mediaUrl: recording.media ? recordingMediaUrl(ctx, recording) : null,
  };
}
