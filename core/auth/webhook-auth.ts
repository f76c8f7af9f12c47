// Catapult has no signature header: the app puts Basic credentials in the callback URL's userinfo and
// Catapult sends them back as "Authorization: Basic" (docs/contracts/catapult-v1.md §12.1). Compared in constant time.
import { createHash, timingSafeEqual } from 'node:crypto';
import { AppError } from '../errors';
import { WEBHOOK_USERNAME } from '../crypto/derive-keys';

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

/** Throws AppError('webhook-unauthorized') unless the header carries exactly our credentials. */
export function checkWebhookAuthorization(header: string | undefined, webhookPassword: string): void {
  const encoded = header?.match(/^\s*Basic\s+([A-Za-z0-9+/=]+)\s*$/i)?.[1];
  const given = encoded === undefined ? '' : Buffer.from(encoded, 'base64').toString('utf8');
  // Hash both sides so the comparison is constant-time whatever the lengths.
  const digest = (value: string) => createHash('sha256').update(value).digest();
  const expected = `${WEBHOOK_USERNAME}:${webhookPassword}`;
  if (!timingSafeEqual(digest(given), digest(expected))) {
    throw new AppError('webhook-unauthorized', 'The Catapult event did not carry the webhook credentials.');
  }
}
