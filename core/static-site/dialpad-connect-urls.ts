// Where the dialpad connects besides the API, for its CSP's connect-src: the settings marked `dialpadConnects`
// (core/config-settings.ts) of the provider the credentials select, as given or defaulted. Read from the raw
// settings, so a host whose config is otherwise invalid still publishes a dialpad naming what they point at.
import { CONFIG_SETTINGS } from '../config-settings';
import { parseWebPubSubConnectionString } from '../config-values';
import { selectedProvider } from '../config';

type Env = Record<string, string | undefined>;

export function dialpadConnectUrls(env: Env): string[] {
  // Both providers' credentials at once is a config error; then either provider's endpoints may be named.
  const provider = selectedProvider(env);
  const urls: string[] = [];
  for (const setting of CONFIG_SETTINGS) {
    if (!setting.dialpadConnects || (provider && setting.provider && setting.provider !== provider)) continue;
    const value = env[setting.name]?.trim() || setting.default;
    if (!value) continue;
    if (setting.dialpadConnects === 'url') {
      urls.push(value);
    } else {
      // A service endpoint (https, or http for a local stand-in) that clients reach over wss (ws).
      const endpoint = parseWebPubSubConnectionString(value)?.endpoint;
      if (endpoint) urls.push(endpoint.replace(/^http/, 'ws'));
    }
  }
  return urls;
}
