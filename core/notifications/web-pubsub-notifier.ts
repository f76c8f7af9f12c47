// The incoming-call channel on Azure Web PubSub's data plane (a hub in serverless mode, no upstream handlers):
// - the app sends to a user over REST: POST {endpoint}/api/hubs/{hub}/users/{userId}/:send?api-version=2024-01-01
//   with a Bearer JWT (HS256, signed with the access key, aud = the full request URL, query included);
// - a dialpad connects a plain WebSocket to {endpoint as ws(s)}/client/hubs/{hub}?access_token=<JWT> whose sub
//   is the user id and aud the hub's client URL in its http(s) form, as Microsoft's SDKs sign it.
// Messages are JSON text frames; the dialpad asks for no subprotocol (azure-functions.md §9).
import type { CallNotification, NotificationsAccess } from '../api-types';
import { signHs256Jwt } from '../crypto/hs256-jwt';
import type { Logger } from '../log';
import type { UserNotifier } from './user-notifier';

export const WEB_PUBSUB_API_VERSION = '2024-01-01';

export interface WebPubSubNotifierOptions {
  /** `https://<name>.webpubsub.azure.com` (locally the stand-in's http://127.0.0.1:<port>), no trailing slash. */
  endpoint: string;
  accessKey: string;
  hub: string;
  logger: Logger;
  fetch?: typeof fetch;
  now?: () => number;
  /** Per attempt, default 3 s: the webhook that parks a call waits for the send. */
  timeoutMs?: number;
  /** How long a dialpad's connection URL may be used to connect, default 60 min. */
  clientTokenTtlSeconds?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** A failed send: `status` 0 when no answer came. */
export class NotificationSendError extends Error {
  constructor(
    readonly status: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'NotificationSendError';
  }
}

/** REST tokens live just long enough for one request (and a clock a little behind the service's). */
const REST_TOKEN_TTL_SECONDS = 5 * 60;
const RETRY_DELAY_MS = 200;

export function createWebPubSubNotifier(options: WebPubSubNotifierOptions): UserNotifier {
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? 3000;
  const clientTtl = options.clientTokenTtlSeconds ?? 60 * 60;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const endpoint = options.endpoint.replace(/\/+$/, '');
  const hub = encodeURIComponent(options.hub);

  async function attempt(url: string, body: string): Promise<void> {
    const seconds = Math.floor(now() / 1000);
    const token = signHs256Jwt({ aud: url, iat: seconds, exp: seconds + REST_TOKEN_TTL_SECONDS }, options.accessKey);
    let response: Response;
    try {
      response = await doFetch(url, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body,
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'error',
      });
      await response.arrayBuffer();
    } catch (error) {
      throw new NotificationSendError(0, 'Web PubSub did not answer.', { cause: error });
    }
    if (!response.ok) {
      const code = response.headers.get('x-ms-error-code') ?? '';
      throw new NotificationSendError(response.status, `Web PubSub refused the message: ${response.status} ${code}`);
    }
  }

  return {
    async send(username, message: CallNotification) {
      const url = `${endpoint}/api/hubs/${hub}/users/${encodeURIComponent(username)}/:send?api-version=${WEB_PUBSUB_API_VERSION}`;
      const body = JSON.stringify(message);
      try {
        await attempt(url, body);
      } catch (error) {
        // Sending the same notification twice is harmless (the dialpad shows one call per id): one more try
        // after a failure that may be passing (no answer, 5xx, 429), never after a refusal.
        const status = error instanceof NotificationSendError ? error.status : -1;
        if (!(status === 0 || status === 429 || status >= 500)) throw error;
        options.logger.warn('notification send failed; trying once more', { type: message.type, status });
        await sleep(RETRY_DELAY_MS);
        await attempt(url, body);
      }
    },
    async clientAccess(username): Promise<NotificationsAccess> {
      const seconds = Math.floor(now() / 1000);
      const exp = seconds + clientTtl;
      const audience = `${endpoint}/client/hubs/${hub}`;
      const token = signHs256Jwt({ sub: username, aud: audience, iat: seconds, exp }, options.accessKey);
      const socketBase = audience.replace(/^http/, 'ws');
      return { url: `${socketBase}?access_token=${token}`, expiresAt: new Date(exp * 1000).toISOString() };
    },
  };
}
