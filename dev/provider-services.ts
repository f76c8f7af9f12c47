// The provider side of the local stack: what the app's provider settings point at. Catapult: the sandbox (or a
// real Catapult's settings as given). Bandwidth: the sandbox playing Bandwidth (or a real Bandwidth's settings
// as given) plus the Web PubSub stand-in that carries incoming-call notifications to the dialpads (unless a
// real Web PubSub connection string is given).
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BandwidthSurface } from '../sandbox/bandwidth/index';
import { createSandbox } from '../sandbox/server';
import { startWebPubSub, type WebPubSubStandIn } from './web-pubsub/server';

export type ProviderName = 'catapult' | 'bandwidth';

export interface CatapultCredentials {
  userId: string;
  apiToken: string;
  apiSecret: string;
}

export interface StackSandbox {
  baseUrl: string;
  apiUrl: string;
  websocketUrl: string;
  account: CatapultCredentials;
  /** With the Bandwidth provider: the sandbox's Bandwidth side (URLs, both credentials, the app's env). */
  bandwidth?: BandwidthSurface;
}

export interface ProviderServicesOptions {
  provider: ProviderName;
  /** Real provider settings, used as given: no sandbox is started. */
  realEnv?: Record<string, string>;
  sandboxPort: number;
  webPubSubPort: number;
  /** Extra app settings; a WEB_PUBSUB_CONNECTION_STRING here means a real Web PubSub: no stand-in. */
  env: Record<string, string>;
  /** Dev mode (disk persistence): the Catapult sandbox keeps one account across restarts in this folder. */
  devDir?: string;
}

export interface ProviderServices {
  settings: Record<string, string>;
  sandbox?: StackSandbox;
  webPubSub?: WebPubSubStandIn;
  stops: Array<() => Promise<void>>;
}

/** The hub the app's notifier and its dialpads meet in, unless WEB_PUBSUB_HUB says otherwise. */
export const DEFAULT_HUB = 'calls';

export async function startProviderServices(options: ProviderServicesOptions): Promise<ProviderServices> {
  const stops: Array<() => Promise<void>> = [];
  try {
    let settings: Record<string, string>;
    let sandbox: StackSandbox | undefined;
    if (options.realEnv) {
      settings = { ...options.realEnv };
    } else if (options.provider === 'bandwidth') {
      const running = await createSandbox({ platform: 'bandwidth', port: options.sandboxPort });
      stops.push(() => running.close());
      sandbox = { ...surface(running), bandwidth: running.bandwidth };
      // One token endpoint plays both of Bandwidth's (the API credential's and In-App Calling's).
      settings = { BANDWIDTH_WEBRTC_OAUTH_URL: running.bandwidth.oauthUrl, ...running.bandwidth.env };
    } else {
      const running = await startCatapultSandbox(options.sandboxPort, options.devDir);
      stops.push(() => running.close());
      sandbox = surface(running);
      settings = {
        CATAPULT_USER_ID: running.account.userId,
        CATAPULT_API_TOKEN: running.account.apiToken,
        CATAPULT_API_SECRET: running.account.apiSecret,
        CATAPULT_API_URL: running.apiUrl,
        CATAPULT_SIP_WEBSOCKET_URL: running.websocketUrl,
      };
    }
    if (options.provider === 'catapult') settings = { CATAPULT_DOMAIN_NAME: 'vra-local', ...settings };

    let webPubSub: WebPubSubStandIn | undefined;
    if (options.provider === 'bandwidth' && !options.env.WEB_PUBSUB_CONNECTION_STRING) {
      webPubSub = await startWebPubSub({ port: options.webPubSubPort });
      stops.push(() => webPubSub!.close());
      settings.WEB_PUBSUB_CONNECTION_STRING = webPubSub.connectionString;
      settings.WEB_PUBSUB_HUB = options.env.WEB_PUBSUB_HUB ?? DEFAULT_HUB;
    }
    return { settings, sandbox, webPubSub, stops };
  } catch (error) {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    throw error;
  }
}

function surface(running: { baseUrl: string; apiUrl: string; websocketUrl: string; account: CatapultCredentials }) {
  return {
    baseUrl: running.baseUrl,
    apiUrl: running.apiUrl,
    websocketUrl: running.websocketUrl,
    account: running.account,
  };
}

async function startCatapultSandbox(port: number, devDir: string | undefined) {
  if (!devDir) return createSandbox({ port });
  // Dev: the same sandbox account on every start, so the app's settings stay valid across restarts.
  const file = join(devDir, 'sandbox-account.json');
  const saved = await readFile(file, 'utf8').then(
    (text) => JSON.parse(text) as CatapultCredentials,
    () => undefined,
  );
  const sandbox = await createSandbox({ port, ...(saved ? { account: saved } : {}) });
  if (!saved) await writeFile(file, `${JSON.stringify(sandbox.account)}\n`, { mode: 0o600 });
  return sandbox;
}
