// Catapult REST for call media (docs/contracts/catapult-v1.md §19): `POST /calls/{id}/audio` (speak a sentence,
// play a file, or stop), the recordings of the account and of a call, and their media files. Basic auth and
// faults as every /v1 route; families `calls` (audio) and `recordings` (recordings and media).
import type { SandboxContext, SandboxRequest } from '../context';
import { forbidden, notFound } from '../errors';
import { paginate } from '../rest/paginate';
import { bodyObject, optionalBoolean, optionalInteger, optionalString, validationError } from '../rest/validation';
import type { AudioRequest, CallMedia, CatapultRecording } from './call-media';
import type { CallModel } from './call-model';
import type { CallRecord } from './call-record';

/** [undocumented] Catapult's longest recording: the sandbox's default and upper bound, one hour. */
export const MAX_RECORDING_S = 3600;

export function mountMediaRoutes(ctx: SandboxContext, model: CallModel, media: CallMedia): void {
  const { router, baseUrl } = ctx;
  const user = (request: SandboxRequest) => request.params.userId!;
  const findCall = (request: SandboxRequest): CallRecord => {
    const call = model.get(request.params.callId!);
    if (!call || call.userId !== user(request))
      throw notFound('call-not-found', `The call '${request.params.callId}' could not be found`);
    return call;
  };
  const view = (recording: CatapultRecording) => ({
    id: recording.id,
    media: `${baseUrl}/v1/users/${recording.userId}/media/${recording.mediaName}`,
    call: `${baseUrl}/v1/users/${recording.userId}/calls/${recording.callId}`,
    startTime: new Date(recording.startTime).toISOString(),
    ...(recording.endTime === undefined ? {} : { endTime: new Date(recording.endTime).toISOString() }),
    state: recording.state,
  });
  const ofUser = (request: SandboxRequest) => [...media.recordings.values()].filter((r) => r.userId === user(request));

  router.add(
    'POST',
    '/v1/users/:userId/calls/:callId/audio',
    (request) => {
      const call = findCall(request);
      const audio = parseAudio(request.body);
      if (call.state !== 'active')
        throw forbidden(
          'call-invalid-state',
          `Unable to play audio on call ${call.id}. Invalid call state ${call.state}`,
        );
      media.audio(call, audio);
      return { status: 200 };
    },
    { family: 'calls' },
  );
  const recordings = { family: 'recordings' };
  router.add(
    'GET',
    '/v1/users/:userId/recordings',
    (request) => paginate(ofUser(request).map(view), request),
    recordings,
  );
  router.add(
    'GET',
    '/v1/users/:userId/recordings/:recordingId',
    (request) => {
      const recording = media.recordings.get(request.params.recordingId!);
      if (!recording || recording.userId !== user(request))
        throw notFound('recording-not-found', `The recording '${request.params.recordingId}' could not be found`);
      return { status: 200, body: view(recording) };
    },
    recordings,
  );
  router.add(
    'GET',
    '/v1/users/:userId/calls/:callId/recordings',
    (request) => {
      const call = findCall(request);
      return paginate(
        ofUser(request)
          .filter((r) => r.callId === call.id)
          .map(view),
        request,
      );
    },
    recordings,
  );
  router.add(
    'GET',
    '/v1/users/:userId/media/:mediaName',
    (request) => {
      const recording = ofUser(request).find((r) => r.mediaName === request.params.mediaName);
      if (!recording?.media)
        throw notFound('media-not-found', `The media '${request.params.mediaName}' could not be found`);
      return { status: 200, headers: { 'Content-Type': 'audio/wav' }, body: recording.media };
    },
    recordings,
  );
}

/** The body of POST /calls/{id}/audio: a sentence, a file, or an empty one of them to stop. */
export function parseAudio(raw: unknown): AudioRequest {
  const body = bodyObject(raw);
  const sentence = optionalString(body, 'sentence', 1000);
  const fileUrl = optionalString(body, 'fileUrl', 2048);
  const tag = optionalString(body, 'tag', 256);
  for (const name of ['gender', 'locale', 'voice']) optionalString(body, name, 64); // validated, not used
  optionalBoolean(body, 'loopEnabled');
  if (sentence === undefined && fileUrl === undefined) throw validationError('sentence or fileUrl is required');
  if (sentence && fileUrl) throw validationError('sentence and fileUrl cannot both be given');
  if (sentence === '' || fileUrl === '') return { kind: 'stop' };
  const tagged = tag === undefined ? {} : { tag };
  if (sentence !== undefined) return { kind: 'speak', sentence, ...tagged };
  if (!/^https?:\/\/.+/.test(fileUrl!)) throw validationError('fileUrl must be an http(s) URL');
  return { kind: 'play', fileUrl: fileUrl!, ...tagged };
}

/** `recordingEnabled` (+ `recordingFileFormat`, `recordingMaxDuration`) of POST /calls/{id}, if present. */
export function parseRecordingUpdate(raw: unknown): { enabled: boolean; maxDurationS: number } | undefined {
  const body = bodyObject(raw, true);
  const enabled = optionalBoolean(body, 'recordingEnabled');
  const format = optionalString(body, 'recordingFileFormat', 8);
  if (format !== undefined && format !== 'wav' && format !== 'mp3')
    throw validationError('recordingFileFormat must be wav or mp3');
  // [undocumented] The sandbox writes WAV only; mp3 is refused rather than mislabelled.
  if (format === 'mp3') throw validationError('recordingFileFormat mp3 is not supported by the sandbox (wav only)');
  const max = optionalInteger(body, 'recordingMaxDuration');
  if (max !== undefined && (max < 1 || max > MAX_RECORDING_S))
    throw validationError(`recordingMaxDuration must be from 1 to ${MAX_RECORDING_S} seconds`);
  return enabled === undefined ? undefined : { enabled, maxDurationS: max ?? MAX_RECORDING_S };
}
