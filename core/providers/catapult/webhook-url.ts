// Catapult has no signature header: the app puts Basic credentials in the callback URL's userinfo and
// Catapult sends them back as "Authorization: Basic" (checked by auth/webhook-auth.ts).
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
