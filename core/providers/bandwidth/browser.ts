// What a dialpad needs to call through In-App Calling (docs/contracts/bandwidth-v2.md §11): an access token of the
// NARROW credential (BANDWIDTH_WEBRTC_CLIENT_ID/_SECRET, In-App Calling only: the credential that orders numbers
// never reaches a browser, §1.2), the gateway's WebSocket URL and SIP domain, and the caller token the app signs
// for the user (auth/call-tokens.ts), which the dialpad sends in User-to-User on every call it places.
import type { BandwidthWebRtcToken } from '../../api-types';
import { signCallerToken, type CallTokenKeys } from '../../auth/call-tokens';
import type { ProviderBrowser } from '../../provider/voice-provider';
import { mapBandwidthError } from './map-error';
import type { OAuthClient } from './oauth';

export interface BandwidthBrowserDeps {
  /** The In-App Calling credential's token cache (never the account credential's). */
  webrtcOAuth: OAuthClient;
  gatewayUrl: string; // BANDWIDTH_WEBRTC_GATEWAY_URL
  callTokenKeys: CallTokenKeys;
  now: () => number;
}

/**
 * In-App tokens are the whole account's, not a user's, so one cached token serves every dialpad; it is handed out
 * while at least half its life is left, so a dialpad never gets one about to expire.
 */
export const webrtcRefreshMargin = (lifetimeMs: number): number => lifetimeMs / 2;

export function createBandwidthBrowser(deps: BandwidthBrowserDeps): ProviderBrowser {
  // The gateway's own host is the domain of its SIP URIs (wss://gw.webrtc-app.bandwidth.com:10081 →
  // gw.webrtc-app.bandwidth.com, §11.1); the sandbox's gateway accepts any.
  const sipDomain = new URL(deps.gatewayUrl).hostname;
  return {
    async token(user): Promise<BandwidthWebRtcToken> {
      let access;
      try {
        access = await deps.webrtcOAuth.accessToken();
      } catch (error) {
        throw mapBandwidthError(error, 'In-App Calling token');
      }
      const caller = signCallerToken(deps.callTokenKeys, user.username, deps.now());
      return {
        provider: 'bandwidth',
        token: access.token,
        expiresAt: new Date(access.expiresAt).toISOString(),
        websocketUrl: deps.gatewayUrl,
        sipDomain,
        callerToken: caller.token,
        callerTokenExpiresAt: caller.expiresAt.toISOString(),
        authorizationHeader: 'Authorization',
      };
    },
  };
}
