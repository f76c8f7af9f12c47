// What a call hears and what it records: /users/{userId}/calls/{callId}/audio (speak a sentence or play a file),
// recording switched on by a POST to the call, and the recordings with their media files
// (docs/contracts/catapult-v1.md §19). Used for voicemail.
import { CatapultError } from '../catapult-error';
import type { CallAudioInput, CallRecordingInput, Recording } from '../catapult-api';
import { readObject, type CatapultHttp } from '../catapult-http';
import { definedOnly } from '../normalise';
import { pathSegment } from '../query-string';

export function createCallMediaResources(http: CatapultHttp) {
  const callUrl = (callId: string) => http.userUrl(`/calls/${pathSegment(callId)}`);
  const mediaRoot = http.userUrl('/media/');

  return {
    /** Not repeatable: a repeat after a lost answer would say the sentence (and send its events) twice. */
    async playToCall(callId: string, input: CallAudioInput): Promise<void> {
      await http.transport.send({
        method: 'POST',
        url: `${callUrl(callId)}/audio`,
        body: definedOnly({ ...input }),
        repeatable: false,
      });
    },

    /** Switching recording on twice is the same as once. */
    async setCallRecording(callId: string, input: CallRecordingInput): Promise<void> {
      const body = definedOnly({
        recordingEnabled: input.recordingEnabled,
        recordingFileFormat: input.recordingFileFormat,
        recordingMaxDuration: input.recordingMaxDuration,
      });
      await http.transport.send({ method: 'POST', url: callUrl(callId), body, repeatable: true });
    },

    async getRecording(recordingId: string): Promise<Recording> {
      const url = http.userUrl(`/recordings/${pathSegment(recordingId)}`);
      const raw = readObject(await http.transport.send({ method: 'GET', url, repeatable: true }), 'GET');
      const text = (name: string) => (typeof raw[name] === 'string' ? raw[name] : undefined);
      return {
        id: text('id') ?? recordingId,
        media: text('media') ?? '',
        call: text('call'),
        state: text('state'),
        startTime: text('startTime'),
        endTime: text('endTime'),
      };
    },

    /**
     * A media file named by a recording. Only under this account's /media/ on the API's own origin: the URL came
     * from an answer, and the request carries the account's credentials.
     */
    async downloadMedia(mediaUrl: string): Promise<{ bytes: Buffer; contentType: string }> {
      if (!mediaUrl.startsWith(mediaRoot) || mediaUrl.length === mediaRoot.length || /[?#]/.test(mediaUrl)) {
        throw new CatapultError({
          status: 0,
          category: 'invalid-response',
          code: 'media-url-refused',
          message: `GET media: the recording's media URL is not under the account's /media/`,
          method: 'GET',
          path: '/media',
        });
      }
      const response = await http.transport.send({ method: 'GET', url: mediaUrl, repeatable: true, binary: true });
      return { bytes: response.bytes ?? Buffer.alloc(0), contentType: response.headers.get('content-type') ?? '' };
    },
  };
}
