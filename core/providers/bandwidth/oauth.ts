// OAuth2 client credentials (RFC 6749 §4.4; docs/contracts/bandwidth-v2.md §1): one cache per credential. A token
// is reused until a margin before `expires_in` runs out; concurrent callers share one request for a new one; a
// caller whose token an API refused (401) asks once with `refresh` (and gives up on a second 401). The token endpoint's own faults are errors of `api: 'oauth'` for
// map-error.ts (a refused credential → provider-rejected; 5xx, 429 or no answer → transient).
import type { Logger } from '../../log';

export interface OAuthOptions {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** For logs: which credential ("account", "In-App Calling"). Never the id or secret. */
  label: string;
  logger: Logger;
  fetch?: typeof fetch;
  now?: () => number;
  timeoutMs?: number;
  /**
   * How long before its expiry a token is no longer handed out, given its whole lifetime. Default: a minute (or
   * a tenth of a short lifetime), enough for the request it is used for.
   */
  refreshMargin?: (lifetimeMs: number) => number;
}

export interface AccessToken {
  token: string;
  expiresAt: number; // epoch ms
}

/** A failed token request. `status` 0: no answer (network error or timeout). */
export class OAuthError extends Error {
  readonly api = 'oauth';
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'OAuthError';
  }
}

export interface OAuthClient {
  /** A token with more than the margin left; `refresh`: the last one was refused, fetch another. */
  accessToken(options?: { refresh?: boolean }): Promise<AccessToken>;
}

/** The shape the API clients take (voice-api.ts, numbers-http.ts): just the token string. */
export type AccessTokenSource = (options?: { refresh?: boolean }) => Promise<string>;

export function tokenSource(client: OAuthClient): AccessTokenSource {
  return async (options) => (await client.accessToken(options)).token;
}

const defaultMargin = (lifetimeMs: number) => Math.min(60_000, lifetimeMs / 10);

export function createOAuthClient(options: OAuthOptions): OAuthClient {
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const margin = options.refreshMargin ?? defaultMargin;
  const basic = Buffer.from(
    `${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret)}`,
  ).toString('base64');
  let cached: (AccessToken & { usableUntil: number }) | undefined;
  let inFlight: Promise<AccessToken & { usableUntil: number }> | undefined;

  async function fetchToken(): Promise<AccessToken & { usableUntil: number }> {
    const requestedAt = now();
    let response: Response;
    let text: string;
    try {
      response = await doFetch(options.tokenUrl, {
        method: 'POST',
        headers: {
          Authorization: `Basic ${basic}`,
          'Content-Type': 'application/x-www-form-urlencoded',
          Accept: 'application/json',
        },
        body: 'grant_type=client_credentials',
        signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
        redirect: 'error', // the credential goes to the configured URL and nowhere else
      });
      text = await response.text();
    } catch (error) {
      const reason = error instanceof Error && error.name === 'TimeoutError' ? 'timeout' : 'network-error';
      throw new OAuthError(0, reason, `${options.label} token request: ${reason}`, { cause: error });
    }
    const body = parseJson(text);
    if (!response.ok) {
      const type = typeof body?.error === 'string' ? body.error.slice(0, 60) : `http-${response.status}`;
      options.logger.warn('oauth token request failed', { credential: options.label, status: response.status, type });
      throw new OAuthError(response.status, type, `${options.label} token request: ${response.status} ${type}`);
    }
    const token = body?.access_token;
    const expiresIn = body?.expires_in;
    if (typeof token !== 'string' || token === '' || typeof expiresIn !== 'number' || !(expiresIn > 0)) {
      throw new OAuthError(502, 'malformed-token-response', `${options.label} token response is not a token.`);
    }
    // Counted from when the request was sent: the token may have been issued a moment before the answer came.
    const lifetimeMs = expiresIn * 1000;
    const expiresAt = requestedAt + lifetimeMs;
    return { token, expiresAt, usableUntil: expiresAt - margin(lifetimeMs) };
  }

  function share(): Promise<AccessToken & { usableUntil: number }> {
    inFlight ??= fetchToken().then(
      (fresh) => {
        cached = fresh;
        inFlight = undefined;
        return fresh;
      },
      (error: unknown) => {
        inFlight = undefined;
        throw error;
      },
    );
    return inFlight;
  }

  return {
    async accessToken(request) {
      // A refresh drops the cached token (an API refused it) and joins a request already under way, so a burst
      // of 401s costs one token request.
      if (request?.refresh) cached = undefined;
      if (cached && cached.usableUntil > now()) return { token: cached.token, expiresAt: cached.expiresAt };
      const fresh = await share();
      return { token: fresh.token, expiresAt: fresh.expiresAt };
    },
  };
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
