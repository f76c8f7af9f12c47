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

export { PARENT_CALL_PARAM };

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
      // incomingcall is followed by answer (autoAnswer); nothing else needs an action.
      return { kind: 'ignored', callId: event.callId };
    },
  };
}
