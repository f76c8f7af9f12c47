// Reads a Bandwidth Voice API callback into the app's events. In order: the route (a callback for this
// provider's function), the Basic CallbackCreds (constant time, before the body is looked at), the body's fields
// (parse-callback.ts), the application, then the event (bandwidth-v2.md §9.2):
//   initiate            → call-arrived (an outside caller, or a dialpad's call proven by its caller token) or
//                         pickup (a dialpad answering a parked call with its pickup token)
//   redirect            → ringing-tick (the park loop's Redirect: the only one the app asks for)
//   transferAnswer      → leg-answered of the call named in the URL's callId (the callback comes from the leg)
//   (redirect and the transfer callbacks name their call in the URL: it must carry the app's signature over it)
//   transferComplete    → leg-ended (its cause: hangup after an answer, else timeout, busy, rejected, …)
//   disconnect          → call-ended
//   recordingAvailable  → recording-ready of the call named in the URL (a voicemail's Record), when usable
//   anything else       → ignored (transferDisconnect: transferComplete says the same for the original call;
//                         bridgeComplete, bridgeTargetComplete, answer: nothing to do)
//
// Which `initiate` is a dialpad's (In-App Calling) call: Bandwidth gives In-App calls the account's In-App number
// as `from` and the dialled number as `to` (bandwidth-v2.md §11.2), so neither says which user calls; the
// dialpad proves it with a token the app signed, in the INVITE's User-to-User header (`uui`). The rule:
//   1. a `uui` in JWT form (`encoding=jwt`, or no encoding) is a dialpad's: only the app's dialpads put one there.
//      It verifies → the user (a caller token) or a pickup; it does not (forged, expired, wrong purpose) →
//      `caller: invalid` and the call is refused.
//   2. no such `uui` and `from` is one of the account's In-App numbers (BANDWIDTH_IN_APP_NUMBERS, required) → a
//      dialpad's call without its token: `caller: invalid` (refused, whatever it dials, another user included).
//   3. otherwise an outside caller, known only by `from` (a `uui` in another encoding is the network's own).
// `from` of a dialpad's call is never used to say who calls.
import { verifyCallToken, type CallTokenKeys } from '../../auth/call-tokens';
import { checkWebhookAuthorization } from '../../auth/webhook-auth';
import { isCallMarkerSigned, SIGNATURE_PARAM } from '../../crypto/call-marker-signature';
import { AppError } from '../../errors';
import type { Logger } from '../../log';
import type { AppEvent } from '../../provider/app-events';
import type { AppResources, ProviderWebhooks } from '../../provider/voice-provider';
import { isCallId } from '../../routing/call-id';
import { CALL_MARKER } from './callback-urls';
import { parseVoiceCallback, type VoiceCallback } from './parse-callback';

export interface BandwidthWebhooksDeps {
  /** The application's CallbackCreds, which Bandwidth sends back as Basic auth. */
  webhookUsername: string;
  webhookPassword: string;
  /** Checks the signature over the call a callback URL names: the CallbackCreds alone are stored at Bandwidth. */
  webhookSigningKey: Buffer;
  callTokenKeys: CallTokenKeys;
  /** What is known of the app's resources without creating anything (the application's id). */
  knownResources: () => Promise<AppResources | undefined>;
  /** The account's In-App Calling numbers (E.164; BANDWIDTH_IN_APP_NUMBERS): `from` of every dialpad call. */
  inAppNumbers: readonly string[];
  logger: Logger;
  now: () => number;
}

/** A recording id reaches a Voice API path: letters, digits and dashes only (Bandwidth's are `r-` + a UUID). */
export function isRecordingId(value: string): boolean {
  return /^[A-Za-z0-9-]{1,100}$/.test(value);
}

export function createBandwidthWebhooks(deps: BandwidthWebhooksDeps): ProviderWebhooks {
  const inAppNumbers = new Set(deps.inAppNumbers);

  const initiate = (callback: VoiceCallback): AppEvent => {
    const { callId, from, to, uui } = callback;
    const verified = verifyCallToken(deps.callTokenKeys, uui, deps.now());
    if (verified.valid) {
      if (verified.purpose === 'pickup')
        return { kind: 'pickup', callId, parkedCallId: verified.parkedCallId, username: verified.username };
      return { kind: 'call-arrived', callId, from, to, caller: { kind: 'user', username: verified.username } };
    }
    const dialpadToken = verified.reason !== 'missing' && verified.reason !== 'unsupported-encoding';
    if (dialpadToken || inAppNumbers.has(from)) {
      const reason = dialpadToken ? verified.reason : 'missing';
      deps.logger.warn('a dialpad call without a valid caller token', { callId, reason });
      return { kind: 'call-arrived', callId, from, to, caller: { kind: 'invalid', reason } };
    }
    return { kind: 'call-arrived', callId, from, to };
  };

  /** The call named in the callback URL (a marker the app set and signed), required where the body cannot say it. */
  const marked = (query: Record<string, string>): string => {
    const callId = query[CALL_MARKER];
    if (!isCallId(callId)) throw new AppError('invalid-json', 'The callback URL has no valid call marker.');
    if (!isCallMarkerSigned(deps.webhookSigningKey, callId, query[SIGNATURE_PARAM])) {
      throw new AppError('webhook-unauthorized', 'The callback is not signed for the call its URL names.');
    }
    return callId;
  };

  return {
    async read(incoming): Promise<AppEvent> {
      if (incoming.route !== 'bandwidth') throw new AppError('not-found', 'This app does not run on Bandwidth.');
      checkWebhookAuthorization(incoming.authorization, deps.webhookPassword, deps.webhookUsername);
      const callback = parseVoiceCallback(incoming.body);
      if (callback.applicationId) {
        const ours = (await deps.knownResources())?.applicationId;
        if (ours && callback.applicationId !== ours)
          throw new AppError('webhook-unauthorized', 'The Bandwidth callback is for another application.');
      }
      const { callId } = callback;
      switch (callback.eventType) {
        case 'initiate':
          return initiate(callback);
        case 'redirect': {
          // The app asks for redirects only in its ring loop, whose URL names the parked call.
          if (marked(incoming.query) !== callId)
            throw new AppError('invalid-json', 'The redirect is not about the call its URL names.');
          return { kind: 'ringing-tick', callId };
        }
        case 'transferAnswer':
          return { kind: 'leg-answered', callId: marked(incoming.query), legId: callId };
        case 'transferComplete':
          return { kind: 'leg-ended', callId: marked(incoming.query), cause: callback.cause ?? 'hangup' };
        case 'disconnect':
          return { kind: 'call-ended', callId, cause: callback.cause ?? 'hangup' };
        case 'recordingAvailable': {
          if (marked(incoming.query) !== callId)
            throw new AppError('invalid-json', 'The recording is not of the call its URL names.');
          const { recordingId, status } = callback;
          if (!recordingId || !isRecordingId(recordingId))
            throw new AppError('invalid-json', 'The recordingAvailable callback has no valid recordingId.');
          // 'partial': the caller hung up while it was being written; still the message they left.
          if (status !== 'complete' && status !== 'partial') {
            deps.logger.warn('a voicemail recording is not usable', { callId, status });
            return { kind: 'ignored', callId };
          }
          return { kind: 'recording-ready', callId, recordingRef: recordingId };
        }
        default:
          return { kind: 'ignored', callId };
      }
    },
  };
}
