// Reads a Catapult callback into the app's events. The credentials (Basic, from the callback URL's userinfo)
// are checked before anything else; an event for another application is refused. The app acts on `answer`
// of an original leg (the application auto-answers); the legs it transfers to report back to the same URL
// with `?parentCallId=<original call>` (docs/contracts/catapult-v1.md §12, §18.1).
import { checkWebhookAuthorization } from '../../auth/webhook-auth';
import { AppError } from '../../errors';
import type { AppEvent } from '../../provider/app-events';
import type { AppResources, ProviderWebhooks } from '../../provider/voice-provider';
import { looksLikeSip } from '../../routing/sip-uri';
import { isCallId, parseCallEvent } from './parse-event';
import { isCallMarkerSigned, SIGNATURE_PARAM } from '../../crypto/call-marker-signature';
import { PARENT_CALL_PARAM } from './webhook-url';
import { GREETING_TAG, TONE_TAG } from './calls';
import type { CallEvent } from '../../catapult/catapult-api';

export { PARENT_CALL_PARAM };

/**
 * The events of a voicemail (calls.ts): its prompts' done events by their tags, `#`, and the recording. The core
 * acts on them only for a call it sent to voicemail. incomingcall is followed by answer (autoAnswer); nothing
 * else needs an action.
 */
function voicemailEvent(event: CallEvent): AppEvent | undefined {
  const { callId } = event;
  if ((event.eventType === 'speak' || event.eventType === 'playback') && event.status === 'done') {
    if (event.tag === GREETING_TAG) return { kind: 'voicemail-progress', callId, step: 'greeting-played' };
    if (event.tag === TONE_TAG) return { kind: 'voicemail-progress', callId, step: 'tone-played' };
  }
  if (event.eventType === 'dtmf' && event.dtmfDigit === '#') {
    return { kind: 'voicemail-progress', callId, step: 'finish-pressed' };
  }
  if (event.eventType === 'recording' && event.status === 'complete' && event.recordingId) {
    if (!isCallId(event.recordingId)) throw new AppError('invalid-json', 'The recording event has an invalid id.');
    return { kind: 'recording-ready', callId, recordingRef: event.recordingId };
  }
  return undefined;
}

export function createCatapultWebhooks(deps: {
  webhookPassword: string;
  webhookSigningKey: Buffer;
  knownResources: (fresh?: boolean) => Promise<AppResources | undefined>;
}): ProviderWebhooks {
  return {
    async read(incoming): Promise<AppEvent> {
      if (incoming.route !== 'catapult') throw new AppError('not-found', 'This app does not run on Catapult.');
      checkWebhookAuthorization(incoming.authorization, deps.webhookPassword);
      const event = parseCallEvent(incoming.body ?? incoming.query);
      if (event.applicationId) {
        let ours = (await deps.knownResources())?.applicationId;
        // Another instance may have re-created the application since this one cached its id: read it again.
        if (ours && event.applicationId !== ours) ours = (await deps.knownResources(true))?.applicationId;
        if (ours && event.applicationId !== ours) {
          throw new AppError('webhook-unauthorized', 'The Catapult event is for another application.');
        }
      }
      const parent = incoming.query[PARENT_CALL_PARAM];
      if (parent !== undefined) {
        if (!isCallId(parent)) throw new AppError('invalid-json', 'The parent call marker is not a call id.');
        // The password above is stored at Catapult; this signature is not: a leg's events must carry it.
        if (!isCallMarkerSigned(deps.webhookSigningKey, parent, incoming.query[SIGNATURE_PARAM])) {
          throw new AppError('webhook-unauthorized', "The transferred call's event is not signed for its call.");
        }
        if (event.eventType === 'answer') return { kind: 'leg-answered', callId: parent, legId: event.callId };
        if (event.eventType === 'hangup' || event.eventType === 'timeout') {
          const cause = event.cause ?? (event.eventType === 'timeout' ? 'NO_ANSWER' : 'NORMAL_CLEARING');
          return { kind: 'leg-ended', callId: parent, legId: event.callId, cause };
        }
        return { kind: 'ignored', callId: parent };
      }
      if (event.eventType === 'answer') {
        const caller = looksLikeSip(event.from) ? { kind: 'sip' as const, sipUri: event.from } : undefined;
        return { kind: 'call-arrived', callId: event.callId, from: event.from, to: event.to, caller };
      }
      if (event.eventType === 'hangup') {
        return { kind: 'call-ended', callId: event.callId, cause: event.cause ?? 'NORMAL_CLEARING' };
      }
      return voicemailEvent(event) ?? { kind: 'ignored', callId: event.callId };
    },
  };
}
