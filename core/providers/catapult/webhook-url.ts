// Catapult has no signature header: the app puts Basic credentials in the callback URL's userinfo and
// Catapult sends them back as "Authorization: Basic" (checked by auth/webhook-auth.ts). Those credentials are
// stored at Catapult (the application's incomingCallUrl) and readable there, so a transferred call's callback URL
// also carries a signature over the call it belongs to (transferCallbackUrl, crypto/call-marker-signature.ts).
import { signCallMarker, SIGNATURE_PARAM } from '../../crypto/call-marker-signature';
import { WEBHOOK_USERNAME } from '../../crypto/derive-keys';

export const WEBHOOK_PATH = '/api/catapult/events';

/** The URL Catapult calls, credentials included. Treat it as a secret: never log it. */
export function buildWebhookUrl(
  publicBaseUrl: string,
  webhookPassword: string,
  query?: Record<string, string>,
): string {
  const url = new URL(publicBaseUrl + WEBHOOK_PATH);
  url.username = WEBHOOK_USERNAME;
  url.password = webhookPassword;
  for (const [name, value] of Object.entries(query ?? {})) url.searchParams.set(name, value);
  return url.toString();
}

/** The query parameter naming the original call a transferred leg's events belong to. */
export const PARENT_CALL_PARAM = 'parentCallId';
/** The callback URL of a leg transferred from `parentCallId`: the webhook URL plus the call and its signature. */
export function transferCallbackUrl(
  publicBaseUrl: string,
  webhookPassword: string,
  signingKey: Buffer,
  parentCallId: string,
): string {
  return buildWebhookUrl(publicBaseUrl, webhookPassword, {
    [PARENT_CALL_PARAM]: parentCallId,
    [SIGNATURE_PARAM]: signCallMarker(signingKey, parentCallId),
  });
}
