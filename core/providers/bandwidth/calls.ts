// Carrying out the app's call decisions on Bandwidth: the callback's answer is BXML (bandwidth-v2.md §10), and
// the Voice API is used only for a call no callback is waiting on (a decline, a routing failure).
//   route connect → park: <Ring/><Redirect> to the ring loop (the caller hears ringing), and the callee's
//                   dialpads are told (incoming-call, with a pickup token) before the webhook answers
//   route dial    → <Transfer transferCallerId callTimeout transferCompleteUrl><PhoneNumber transferAnswerUrl>
//   route refuse  → <Hangup/>
//   keep-ringing  → the park document again;  bridge → <Bridge>{parked call}</Bridge>
//   end-call      → <Hangup/>;  ended → nothing to answer
//   voicemail     → <SpeakSentence> greeting, <PlayAudio> the app's tone, <Record> (its recordingAvailableUrl names
//                   the call), <Hangup/>; a decline redirects the parked call, whose ring-loop callback answers so
// Whenever a parked call stops ringing (picked up, ended, no answer) its callee's dialpads get call-ended, so the
// others stop ringing. A call between two users is the same park: In-App Calling cannot ring a browser, and a
// Transfer back into the account would not reach the callee's dialpad, so the caller's own call is parked and
// the callee's dialpad calls in to be bridged with it. A redelivered callback (`first: false`) gets the same
// answer without a second notification. Nothing here throws: a failure is answered with <Hangup/> and reported.
import { signPickupToken, type CallTokenKeys } from '../../auth/call-tokens';
import type { Logger } from '../../log';
import type { UserNotifier } from '../../notifications/user-notifier';
import { EMPTY_REPLY, type CallAction, type CarriedOut, type WebhookReply } from '../../provider/app-events';
import type { ProviderCalls } from '../../provider/voice-provider';
import type { RouteDecision } from '../../routing/route-decision';
import { AppError } from '../../errors';
import { VOICEMAIL_MAX_SECONDS } from '../../provider/app-events';
import { DEFAULT_GREETING, voicemailToneUrl } from '../../voicemail/greeting';
import {
  BXML_CONTENT_TYPE,
  bridge,
  hangup,
  phoneNumber,
  playAudio,
  record,
  redirect,
  response,
  ring,
  speakSentence,
  transfer,
} from './bxml';
import { callbackUrl } from './callback-urls';
import { bandwidthStatus, mapBandwidthError } from './map-error';
import type { BandwidthVoiceApi } from './voice-api';
import { isRecordingId } from './webhooks';

export interface BandwidthCallsDeps {
  voiceApi: BandwidthVoiceApi;
  notifier: UserNotifier;
  callTokenKeys: CallTokenKeys;
  publicBaseUrl: string;
  /** Signs the call a callback URL names (crypto/call-marker-signature.ts). */
  webhookSigningKey: Buffer;
  /** How long a parked call rings before it ends unanswered (the handler's limit too), default 30 s. */
  ringTimeoutMs?: number;
  /** How long a dialled number rings, default 30 s (Bandwidth's own default). */
  dialTimeoutSeconds?: number;
  logger: Logger;
  now: () => number;
}

type CallRingNotification = Exclude<Parameters<UserNotifier['send']>[1], { type: 'voicemail' }>;

/** A parked call asks again this often: the ring limit is kept to within one such tick. */
const MAX_RING_TICK_SECONDS = 5;

export function createBandwidthCalls(deps: BandwidthCallsDeps): ProviderCalls {
  const { logger } = deps;
  const ringTimeoutMs = deps.ringTimeoutMs ?? 25_000;
  const tickSeconds = Math.min(MAX_RING_TICK_SECONDS, Math.max(0.5, ringTimeoutMs / 5000));
  const xml = (body: string): WebhookReply => ({ contentType: BXML_CONTENT_TYPE, body });
  const HANGUP = xml(response(hangup()));

  const marker = (callId: string) => ({ callId, signingKey: deps.webhookSigningKey });
  const ringLoopUrl = (callId: string) => callbackUrl(deps.publicBaseUrl, 'ringing', marker(callId));
  const park = (callId: string) =>
    xml(response(ring({ duration: tickSeconds }), redirect({ redirectUrl: ringLoopUrl(callId) })));

  const voicemail = (callId: string, greetingUrl: string | undefined) =>
    xml(
      response(
        greetingUrl ? playAudio(greetingUrl) : speakSentence(DEFAULT_GREETING),
        playAudio(voicemailToneUrl(deps.publicBaseUrl)),
        record({
          maxDuration: VOICEMAIL_MAX_SECONDS,
          terminatingDigits: '#',
          recordingAvailableUrl: callbackUrl(deps.publicBaseUrl, 'recording', marker(callId)),
          recordingAvailableMethod: 'POST',
          fileFormat: 'wav',
        }),
        hangup(),
      ),
    );

  /** Tells a user's dialpads; never rejects (a dialpad that missed it sees the call end by its expiry). */
  const notify = async (username: string, message: CallRingNotification): Promise<void> => {
    try {
      await deps.notifier.send(username, message);
    } catch (error) {
      logger.error('could not notify the dialpads', {
        type: message.type,
        callId: message.callId,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  };
  const stopRinging = (callId: string, callee: string | undefined): Promise<void> | undefined =>
    callee ? notify(callee, { type: 'call-ended', callId }) : undefined;

  const connect = (callId: string, decision: Extract<RouteDecision, { action: 'connect' }>, first: boolean) => {
    const reply = park(callId);
    if (!first) return { reply };
    const username = decision.user.username;
    const nowMs = deps.now();
    const pickup = signPickupToken(deps.callTokenKeys, username, callId, nowMs);
    // The dialpad may ring until the app gives up on the call (the token itself lives a little longer).
    const expiresAt = new Date(Math.min(pickup.expiresAt.getTime(), nowMs + ringTimeoutMs)).toISOString();
    const settle = notify(username, {
      type: 'incoming-call',
      callId,
      from: decision.callerId,
      ...(decision.caller ? { fromUsername: decision.caller.username } : {}),
      pickupToken: pickup.token,
      expiresAt,
    });
    return { reply, settle };
  };

  const dial = (callId: string, decision: Extract<RouteDecision, { action: 'dial' }>): CarriedOut => {
    const url = callbackUrl(deps.publicBaseUrl, 'transfer', { callId, signingKey: deps.webhookSigningKey });
    return {
      reply: xml(
        response(
          transfer(
            {
              transferCallerId: decision.callerId,
              callTimeout: deps.dialTimeoutSeconds ?? 30,
              transferCompleteUrl: url,
            },
            [phoneNumber(decision.number, { transferAnswerUrl: url })],
          ),
        ),
      ),
    };
  };

  const carry = (action: CallAction): CarriedOut => {
    switch (action.kind) {
      case 'route': {
        const { decision } = action;
        if (decision.action === 'refuse') return { reply: HANGUP };
        if (decision.action === 'dial') return dial(action.callId, decision);
        return connect(action.callId, decision, action.first);
      }
      case 'keep-ringing':
        return { reply: park(action.callId) };
      case 'bridge':
        return {
          reply: xml(response(bridge(action.parkedCallId))),
          settle: stopRinging(action.parkedCallId, action.callee),
        };
      case 'end-call':
        return { reply: HANGUP, settle: stopRinging(action.callId, action.callee) };
      case 'ended':
        return { reply: EMPTY_REPLY, settle: stopRinging(action.callId, action.callee) };
      case 'voicemail':
        // One document plays it all: the later steps are a REST provider's.
        if (action.step !== 'start') return { reply: EMPTY_REPLY };
        return {
          reply: voicemail(action.callId, action.greetingUrl),
          settle: stopRinging(action.callId, action.callee),
        };
      case 'nothing':
        return { reply: EMPTY_REPLY };
    }
  };

  return {
    async carryOut(action) {
      try {
        return carry(action);
      } catch (error) {
        logger.error('could not answer the callback; hanging up', {
          kind: action.kind,
          callId: action.callId,
          error: error instanceof Error ? error.message : String(error),
        });
        return { reply: HANGUP, failed: 'provider-error' };
      }
    },
    async end(callId) {
      try {
        await deps.voiceApi.completeCall(callId);
      } catch (error) {
        // Already over (404) or no longer in a state to change (409): nothing left to end.
        const status = bandwidthStatus(error);
        if (status !== 404 && status !== 409)
          logger.error('could not end the call', { callId, status, error: String(error) });
      }
    },
    async divertToVoicemail(callId, callee) {
      try {
        // The parked call leaves its ring loop at once; the redirect's callback finds the claim in voicemail.
        await deps.voiceApi.redirectCall(callId, { redirectUrl: ringLoopUrl(callId), redirectMethod: 'POST' });
        return true;
      } catch (error) {
        logger.error('could not send the call to voicemail', { callId, status: bandwidthStatus(error) });
        await stopRinging(callId, callee);
        return false;
      }
    },
    async fetchRecording(callId, recordingRef) {
      if (!isRecordingId(recordingRef)) throw recordingNotFound();
      try {
        return await deps.voiceApi.downloadRecording(callId, recordingRef);
      } catch (error) {
        if (bandwidthStatus(error) === 404) throw recordingNotFound();
        throw mapBandwidthError(error, 'recording download');
      }
    },
  };
}

function recordingNotFound(): AppError {
  return new AppError('not-found', 'Bandwidth has no such recording.');
}
