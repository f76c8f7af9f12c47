// Provider callbacks carry no signature: the app gives the provider Basic credentials (Catapult: in the
// callback URL's userinfo, sent back as "Authorization: Basic", docs/contracts/catapult-v1.md §12.1; Bandwidth:
// the application's CallbackCreds) and checks them on every callback, in constant time, before reading anything else.
import { createHash, timingSafeEqual } from 'node:crypto';
import { AppError } from '../errors';
import { WEBHOOK_USERNAME } from '../crypto/derive-keys';

/** Throws AppError('webhook-unauthorized') unless the header carries exactly these credentials. */
export function checkWebhookAuthorization(
  header: string | undefined,
  webhookPassword: string,
  username: string = WEBHOOK_USERNAME,
): void {
  const encoded = header?.match(/^\s*Basic\s+([A-Za-z0-9+/=]+)\s*$/i)?.[1];
  const given = encoded === undefined ? '' : Buffer.from(encoded, 'base64').toString('utf8');
  // Hash both sides so the comparison is constant-time whatever the lengths.
  const digest = (value: string) => createHash('sha256').update(value).digest();
  const expected = `${username}:${webhookPassword}`;
  if (!timingSafeEqual(digest(given), digest(expected))) {
    throw new AppError('webhook-unauthorized', 'The callback did not carry the webhook credentials.');
  }
}
