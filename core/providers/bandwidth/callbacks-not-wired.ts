// PLACEHOLDER until the Bandwidth callback side (webhooks.read, calls.carryOut) is merged in: a deployment on
// Bandwidth can sign up, search, set up and hand out dialpad tokens, but answers its callbacks `not-found` and
// carries out no call. Replace both with the real parts in create-voice-app.ts; then delete this file.
import { AppError } from '../../errors';
import type { Logger } from '../../log';
import { EMPTY_REPLY } from '../../provider/app-events';
import type { ProviderCalls, ProviderWebhooks } from '../../provider/voice-provider';

export const bandwidthWebhooksNotWiredYet: ProviderWebhooks = {
  read: async () => {
    throw new AppError('not-found', 'Bandwidth callbacks are not handled by this build yet.');
  },
};

export function bandwidthCallsNotWiredYet(logger: Logger): ProviderCalls {
  return {
    carryOut: async (action) => {
      logger.warn('a Bandwidth call action was asked of a build without the Bandwidth call side', {
        kind: action.kind,
      });
      return { reply: EMPTY_REPLY, failed: 'not-supported' };
    },
    end: async (callId) => {
      logger.warn('a Bandwidth call end was asked of a build without the Bandwidth call side', { callId });
    },
  };
}
