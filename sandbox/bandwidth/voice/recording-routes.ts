// The Voice API's call recordings (`${voiceUrl}/api/v2/accounts/{accountId}/calls/{callId}/recordings…`): list,
// metadata, media download (audio/vnd.wave, as bandwidth.yml's downloadRecordingMediaResponse), and deletes; and
// the account's list (`…/accounts/{accountId}/recordings?from&to&minStartTime&maxStartTime`, at most 1000).
// OAuth2 Bearer and injected faults apply as on every Voice route (family `voice`).
import { voiceError } from '../http/bw-errors';
import type { BwRequest, BwRouter } from '../http/bw-router';
import type { CallEngine } from './call-engine';
import { recordingMetadata, type BwRecording } from './recordings';

export function mountRecordingRoutes(router: BwRouter, engine: CallEngine): void {
  const base = '/api/v2/accounts/:accountId/calls/:callId/recordings';
  const ctx = engine.options;
  const callOf = (request: BwRequest) => {
    const call = engine.calls.get(request.params.callId!);
    if (!call) throw voiceError(404, 'not-found', `Call ${request.params.callId} was not found`);
    return call;
  };
  const recordingOf = (request: BwRequest): BwRecording => {
    const recording = engine.recordings.find(callOf(request).id, request.params.recordingId!);
    if (!recording) throw voiceError(404, 'not-found', `Recording ${request.params.recordingId} was not found`);
    return recording;
  };

  router.add('GET', '/api/v2/accounts/:accountId/recordings', 'voice', (request) => {
    const q = request.query;
    const time = (name: string) => {
      const raw = q.get(name);
      if (raw === null) return undefined;
      const ms = Date.parse(raw);
      if (Number.isNaN(ms)) throw voiceError(400, 'validation', `${name} must be an ISO 8601 time`);
      return ms;
    };
    const [min, max] = [time('minStartTime'), time('maxStartTime')];
    const body = engine.recordings
      .all()
      .filter((recording) => {
        const call = engine.calls.get(recording.callId)!;
        return (
          (!q.has('from') || call.from === q.get('from')) &&
          (!q.has('to') || call.to === q.get('to')) &&
          (min === undefined || recording.startTime >= min) &&
          (max === undefined || recording.startTime < max)
        );
      })
      .slice(0, 1000)
      .map((recording) => recordingMetadata(ctx, engine.calls.get(recording.callId)!, recording));
    return { status: 200, body };
  });
  router.add('GET', base, 'voice', (request) => {
    const call = callOf(request);
    return {
      status: 200,
      body: engine.recordings.ofCall(call.id).map((recording) => recordingMetadata(ctx, call, recording)),
    };
  });
  router.add('GET', `${base}/:recordingId`, 'voice', (request) => ({
    status: 200,
    body: recordingMetadata(ctx, callOf(request), recordingOf(request)),
  }));
  router.add('DELETE', `${base}/:recordingId`, 'voice', (request) => {
    engine.recordings.remove(callOf(request).id, recordingOf(request).id);
    return { status: 204 };
  });
  router.add('GET', `${base}/:recordingId/media`, 'voice', (request) => {
    const recording = recordingOf(request);
    if (!recording.media) throw voiceError(404, 'not-found', `The media of recording ${recording.id} was deleted`);
    return { status: 200, headers: { 'Content-Type': 'audio/vnd.wave' }, body: recording.media };
  });
  router.add('DELETE', `${base}/:recordingId/media`, 'voice', (request) => {
    recordingOf(request).media = undefined;
    return { status: 204 };
  });
}
