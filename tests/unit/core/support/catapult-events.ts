// Catapult callbacks as the app's webhook receives them in core tests: the Basic credentials Catapult sends back,
// a transferred leg's signed callback query, and a poster for events into a VoiceApp.
import { signCallMarker } from '../../../../core/crypto/call-marker-signature';
import { deriveKeys } from '../../../../core/crypto/derive-keys';
import type { VoiceApp } from '../../../../core/voice-app';
import { testConfig } from './test-config';

const keys = deriveKeys(testConfig().appSecret);

export const CATAPULT_AUTH = `Basic ${Buffer.from(`catapult:${keys.webhookPassword}`).toString('base64')}`;

/** A transferred leg's callback query, as the app signs it into the leg's callback URL. */
export const signedLeg = (parentCallId: string) => ({
  parentCallId,
  sig: signCallMarker(keys.webhookSigningKey, parentCallId),
});

/** Posts a Catapult event (its `time` filled in) with the right credentials and the given callback query. */
export function catapultPoster(app: Pick<VoiceApp, 'handleWebhook'>) {
  return (body: Record<string, unknown>, query: Record<string, string> = {}) =>
    app.handleWebhook({
      route: 'catapult',
      authorization: CATAPULT_AUTH,
      query,
      body: { time: new Date().toISOString(), ...body },
    });
}
