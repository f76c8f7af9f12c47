// One APP_SECRET, separate keys per purpose (HKDF-SHA256 with a distinct "info" each), so a key leaked
// or misused in one place (e.g. the webhook password, which travels in a URL) says nothing about the others.
import { createHash, hkdfSync } from 'node:crypto';

export interface DerivedKeys {
  /** HMAC-SHA256 key for session tokens. */
  sessionKey: Buffer;
  /** Short id of sessionKey: tokens signed under another APP_SECRET are told apart, not just "bad signature". */
  sessionKeyId: string;
  /** AES-256-GCM key for SIP passwords at rest. */
  sipPasswordKey: Buffer;
  /** Basic-auth password Catapult sends back on every webhook call (URL-safe). */
  webhookPassword: string;
  /** HMAC-SHA256 key signing the numbers a search offers (sign-up orders only those). */
  numberOfferKey: Buffer;
  /** HMAC-SHA256 key binding each passkey challenge to its purpose, account and session (core/accounts/). */
  challengeKey: Buffer;
  /**
   * HMAC-SHA256 key signing each transferred call's callback URL (the provider's webhook URL builder): a
   * separate derivation, so the webhook password the provider stores says nothing about it.
   */
  webhookSigningKey: Buffer;
  /** HMAC-SHA256 key of the caller and pickup tokens a dialpad sends in User-to-User (auth/call-tokens.ts). */
  callTokenKey: Buffer;
}

export const WEBHOOK_USERNAME = 'catapult';
const SALT = 'voice-reference-app/v1';

function derive(secret: string, info: string, length: number): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), SALT, info, length));
}

export function deriveKeys(appSecret: string): DerivedKeys {
  const sessionKey = derive(appSecret, 'session-token', 32);
  return {
    sessionKey,
    sessionKeyId: createHash('sha256').update(sessionKey).digest('base64url').slice(0, 8),
    sipPasswordKey: derive(appSecret, 'sip-password', 32),
    webhookPassword: derive(appSecret, 'webhook-password', 24).toString('base64url'),
    numberOfferKey: derive(appSecret, 'number-offer', 32),
    challengeKey: derive(appSecret, 'passkey-challenge', 32),
    webhookSigningKey: derive(appSecret, 'webhook-signature', 32),
    callTokenKey: derive(appSecret, 'call-token', 32),
  };
}
