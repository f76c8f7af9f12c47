// Carrying out the app's call decisions on Catapult: REST requests (transfer, hang up) made while the
// webhook is being answered; the webhook's own answer is always an empty 200.
import type { CatapultApi } from '../../catapult/catapult-api';
import type { Logger } from '../../log';
import { EMPTY_REPLY, type CarriedOut } from '../../provider/app-events';
import type { ProviderCalls } from '../../provider/voice-provider';
import { catapultStatus } from './map-error';
import { transferCallbackUrl } from './webhook-url';

export function createCatapultCalls(deps: {
  client: CatapultApi;
  publicBaseUrl: string;
  webhookPassword: string;
  webhookSigningKey: Buffer;
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

  const transfer = async (callId: string, transferTo: string, callerId: string): Promise<CarriedOut> => {
    try {
      const callbackUrl = transferCallbackUrl(deps.publicBaseUrl, deps.webhookPassword, deps.webhookSigningKey, callId);
      const leg = await client.transferCall(callId, { transferTo, transferCallerId: callerId, callbackUrl });
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
          return transfer(action.callId, action.callee.sipUri, decision.callerId);
        }
        case 'end-call':
          await hangUp(action.callId);
          return done;
        default:
          // keep-ringing, bridge: never asked of Catapult (no parked calls: it rings users' endpoints itself);
          // ended, nothing: nothing to do, and Catapult's callbacks are always answered with an empty 200.
          return done;
      }
    },
    end: hangUp,
  };
}
