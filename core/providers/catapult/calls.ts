// Carrying out the app's call decisions on Catapult: REST requests (transfer, hang up, voicemail) made while the
// webhook is being answered; the webhook's own answer is always an empty 200.
// Voicemail is a chain of REST requests, each started by the event that the previous one ends with (tags name
// the step, webhooks.ts reads them back):
//   start → speak the greeting (tag voicemail-greeting) → its `speak` done: play the app's tone (voicemail-tone)
//   → its `playback` done: recording on (at most VOICEMAIL_MAX_SECONDS) → `#` or hang-up ends the call, and with
//   it the recording, whose `recording` event says it is ready.
import type { CatapultApi } from '../../catapult/catapult-api';
import type { Logger } from '../../log';
import { AppError } from '../../errors';
import { EMPTY_REPLY, VOICEMAIL_MAX_SECONDS, type CarriedOut, type VoicemailStep } from '../../provider/app-events';
import { DEFAULT_GREETING, voicemailToneUrl } from '../../voicemail/greeting';
import type { ProviderCalls } from '../../provider/voice-provider';
import { catapultStatus, mapCatapultError } from './map-error';
import { transferCallbackUrl } from './webhook-url';

export function createCatapultCalls(deps: {
  client: CatapultApi;
  publicBaseUrl: string;
  webhookPassword: string;
  webhookSigningKey: Buffer;
  /** How long a user's dialpad rings before the call goes to voicemail, default 25 s. */
  ringTimeoutMs?: number;
  logger: Logger;
}): ProviderCalls {
  const { client, logger } = deps;
  const done: CarriedOut = { reply: EMPTY_REPLY };

  /** Best effort: the call may already be gone (404) or ending (403 call-invalid-state). */
  const hangUp = async (callId: string): Promise<void> => {
    try {
      await client.hangUpCall(callId);
    } catch (error) {
      const status = catapultStatus(error);
      if (status !== 404 && status !== 403) logger.error('hang-up failed', { callId, status, error: String(error) });
    }
  };

  const transfer = async (
    callId: string,
    transferTo: string,
    callerId: string,
    callTimeout?: number,
  ): Promise<CarriedOut> => {
    try {
      const callbackUrl = transferCallbackUrl(deps.publicBaseUrl, deps.webhookPassword, deps.webhookSigningKey, callId);
      const leg = await client.transferCall(callId, {
        transferTo,
        transferCallerId: callerId,
        callbackUrl,
        ...(callTimeout === undefined ? {} : { callTimeout }),
      });
      logger.info('call transferred', { callId, newCallId: leg.id });
      return done;
    } catch (error) {
      logger.error('transfer failed; hanging up', { callId, status: catapultStatus(error), error: String(error) });
      return { reply: EMPTY_REPLY, failed: 'transfer-failed' };
    }
  };

  return {
    async carryOut(action) {
      switch (action.kind) {
        case 'route': {
          // A duplicate answer event: the first one acted, and Catapult's call needs nothing more.
          if (!action.first) return done;
          const { decision } = action;
          if (decision.action === 'refuse') {
            await hangUp(action.callId);
            return done;
          }
          if (decision.action === 'dial') return transfer(action.callId, decision.number, decision.callerId);
          // connect: Catapult rings the user's SIP endpoint itself, so the call is transferred to it.
          if (!action.callee?.sipUri) {
            logger.error('the called user has no SIP address', { callId: action.callId });
            return { reply: EMPTY_REPLY, failed: 'no-sip-address' };
          }
          const ringSeconds = Math.max(1, Math.round((deps.ringTimeoutMs ?? 25_000) / 1000));
          return transfer(action.callId, action.callee.sipUri, decision.callerId, ringSeconds);
        }
        case 'end-call':
          await hangUp(action.callId);
          return done;
        case 'voicemail':
          await voicemailStep(action.callId, action.step, action.greetingUrl);
          return done;
        default:
          // keep-ringing, bridge: never asked of Catapult (no parked calls: it rings users' endpoints itself);
          // ended, nothing: nothing to do, and Catapult's callbacks are always answered with an empty 200.
          return done;
      }
    },
    end: hangUp,
    async divertToVoicemail(callId, _callee, greetingUrl) {
      // Catapult's dialpads decline by SIP (the transfer leg ends, which starts the voicemail); an API decline
      // still gets its greeting here.
      return voicemailStep(callId, 'start', greetingUrl);
    },
    async fetchRecording(_callId, recordingRef) {
      try {
        const recording = await client.getRecording(recordingRef);
        const media = await client.downloadMedia(recording.media);
        return { audio: media.bytes, contentType: media.contentType.split(';')[0]?.trim() || 'audio/wav' };
      } catch (error) {
        if (catapultStatus(error) === 404) throw new AppError('not-found', 'Catapult has no such recording.');
        throw mapCatapultError(error, 'recording download');
      }
    },
  };

  /** One step of the chain above; a failure hangs up (a caller left in silence would wait for nothing). */
  async function voicemailStep(callId: string, step: VoicemailStep, greetingUrl?: string): Promise<boolean> {
    try {
      if (step === 'start') {
        await client.playToCall(
          callId,
          greetingUrl
            ? { fileUrl: greetingUrl, tag: GREETING_TAG }
            : { sentence: DEFAULT_GREETING, gender: 'female', locale: 'en_US', tag: GREETING_TAG },
        );
      } else if (step === 'greeting-played') {
        await client.playToCall(callId, { fileUrl: voicemailToneUrl(deps.publicBaseUrl), tag: TONE_TAG });
      } else if (step === 'tone-played') {
        await client.setCallRecording(callId, {
          recordingEnabled: true,
          recordingFileFormat: 'wav',
          recordingMaxDuration: VOICEMAIL_MAX_SECONDS,
        });
      } else {
        await hangUp(callId);
      }
      return true;
    } catch (error) {
      logger.error('voicemail step failed; hanging up', { callId, step, status: catapultStatus(error) });
      await hangUp(callId);
      return false;
    }
  }
}

/** The tags of the voicemail's two prompts: their done events drive the next step (webhooks.ts). */
export const GREETING_TAG = 'voicemail-greeting';
export const TONE_TAG = 'voicemail-tone';
