// What `createSandbox({ platform: 'bandwidth', bandwidth: {…} })` accepts, and the defaults.
import { randomBytes, randomInt } from 'node:crypto';

export interface BandwidthOptions {
  /** Numeric account id; generated (7 digits) when absent. */
  accountId?: string;
  /** The account credential (Numbers + Voice). Generated when absent. */
  clientId?: string;
  clientSecret?: string;
  /** The narrower In-App Calling credential: its tokens only open the gateway. Generated when absent. */
  webrtcClientId?: string;
  webrtcClientSecret?: string;
  /** Lifetime of issued access tokens, seconds (default 3600). */
  tokenTtlSeconds?: number;
  /** How long an order / a disconnect stays RECEIVED before it is processed (default 200 ms each). */
  orderDelayMs?: number;
  disconnectDelayMs?: number;
  /** Account limits of the Voice API (defaults 3 calls per second, 30 concurrent calls; bandwidth-v2.md §8.4). */
  callsPerSecond?: number;
  maxConcurrentCalls?: number;
  /** `from` of the `initiate` of an In-App Calling call (the account-level In-App number). */
  inAppCallingNumber?: string;
  /**
   * Which Voice-V2 application gets In-App Calling calls: this application id, else the application linked to
   * `inAppCallingPeerId`'s location, else the first Voice-V2 application created.
   */
  inAppCallingApplicationId?: string;
  inAppCallingPeerId?: string;
  /**
   * Called with every OAuth, Numbers API and Voice API request that reaches a route (after the token check, before
   * it is handled), so an app's tests can check what the app sends (e.g. Voice API bodies against bandwidth.yml).
   * It must not throw; if it does, the error is logged and the request is served anyway.
   */
  observeRequest?: (request: ObservedRequest) => void;
}

/** One request as `observeRequest` sees it. The Authorization header is never passed on. */
export interface ObservedRequest {
  api: 'oauth' | 'numbers' | 'voice';
  method: string;
  /** The path as sent, e.g. `/api/v2/accounts/9900000/calls/c-…`. */
  path: string;
  query: Record<string, string>;
  contentType?: string;
  /** The raw body text ('' when empty). */
  body: string;
}

export interface BandwidthSettings {
  tokenTtlSeconds: number;
  orderDelayMs: number;
  disconnectDelayMs: number;
  callsPerSecond: number;
  maxConcurrentCalls: number;
  inAppCallingNumber: string;
  inAppCallingApplicationId?: string;
  inAppCallingPeerId?: string;
}

export interface BandwidthCredentials {
  accountId: string;
  clientId: string;
  clientSecret: string;
  webrtcClientId: string;
  webrtcClientSecret: string;
}

export const DEFAULT_IN_APP_NUMBER = '+19845550199';

export function resolveCredentials(options: BandwidthOptions): BandwidthCredentials {
  const secret = () => randomBytes(24).toString('base64url');
  return {
    accountId: options.accountId ?? String(9_000_000 + randomInt(999_999)),
    clientId: options.clientId ?? `sandbox-account-${randomBytes(6).toString('hex')}`,
    clientSecret: options.clientSecret ?? secret(),
    webrtcClientId: options.webrtcClientId ?? `sandbox-webrtc-${randomBytes(6).toString('hex')}`,
    webrtcClientSecret: options.webrtcClientSecret ?? secret(),
  };
}

export function resolveSettings(options: BandwidthOptions): BandwidthSettings {
  return {
    tokenTtlSeconds: options.tokenTtlSeconds ?? 3600,
    orderDelayMs: options.orderDelayMs ?? 200,
    disconnectDelayMs: options.disconnectDelayMs ?? 200,
    callsPerSecond: options.callsPerSecond ?? 3,
    maxConcurrentCalls: options.maxConcurrentCalls ?? 30,
    inAppCallingNumber: options.inAppCallingNumber ?? DEFAULT_IN_APP_NUMBER,
    ...(options.inAppCallingApplicationId ? { inAppCallingApplicationId: options.inAppCallingApplicationId } : {}),
    ...(options.inAppCallingPeerId ? { inAppCallingPeerId: options.inAppCallingPeerId } : {}),
  };
}
