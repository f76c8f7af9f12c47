// Where the dialpad connects besides the API, per provider: its CSP's connect-src names these origins
// (core/static-site/dialpad-csp.ts). Read from the settings as given, so a host with a bad config still
// publishes a dialpad that can reach what those settings name.
import { CONFIG_SETTINGS } from '../config-settings';
import { selectedProvider } from '../config';
import { parseWebPubSubConnectionString } from '../config-values';

type Env = Record<string, string | undefined>;

const setting = (env: Env, name: string): string | undefined =>
  env[name]?.trim() || CONFIG_SETTINGS.find((s) => s.name === name)?.default || undefined;

export function dialpadConnectUrls(env: Env): string[] {
  // Both credential sets at once is a config error; the dialpad may then reach either provider's endpoints.
  const provider = selectedProvider(env);
  const urls: string[] = [];
  if (provider !== 'bandwidth') {
    // Catapult: the dialpad registers over SIP-over-WebSocket itself.
    const websocket = setting(env, 'CATAPULT_SIP_WEBSOCKET_URL');
    if (websocket) urls.push(websocket);
  }
  if (provider !== 'catapult') {
    // Bandwidth: JsSIP on the In-App Calling gateway, and the Web PubSub channel that announces incoming calls
    // (a WebSocket on the service's endpoint: https becomes wss, http (local stand-in) becomes ws).
    const gateway = setting(env, 'BANDWIDTH_WEBRTC_GATEWAY_URL');
    if (gateway) urls.push(gateway);
    const pubSub = parseWebPubSubConnectionString(env.WEB_PUBSUB_CONNECTION_STRING?.trim() ?? '');
    if (pubSub) urls.push(pubSub.endpoint.replace(/^http/, 'ws'));
  }
  return urls;
}
