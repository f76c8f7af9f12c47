// The core on Bandwidth against real neighbours: Azurite, the sandbox playing Bandwidth (platform 'bandwidth'),
// and the app's real Bandwidth clients. Every Numbers API request the app sends is recorded (the sandbox's
// `observeRequest`) so tests can check what was sent; nothing listens for callbacks (set-up, numbers, tokens).
import { loadConfig, type BandwidthAppConfig } from '../../../../core/config';
import { createVoiceApp, type CoreVoiceApp, type CreateVoiceAppOptions } from '../../../../core/create-voice-app';
import { startAzurite, type RunningAzurite } from '../../../../dev/azurite';
import type { BandwidthOptions, ObservedRequest } from '../../../../sandbox/bandwidth/bandwidth-options';
import { createSandbox, type BandwidthSandbox } from '../../../../sandbox/server';

export interface BandwidthStack {
  azurite: RunningAzurite;
  sandbox: BandwidthSandbox;
  config: BandwidthAppConfig;
  /** Numbers/OAuth/Voice requests as the sandbox received them (cleared with `observed.length = 0`). */
  observed: ObservedRequest[];
  newApp(options?: Partial<CreateVoiceAppOptions>, env?: Record<string, string>): CoreVoiceApp;
  control(method: string, path: string, body?: unknown): Promise<any>;
  /** A Numbers API request with the account credential, straight to the sandbox (the test's own look). */
  numbers(method: string, path: string): Promise<{ status: number; text: string }>;
  token(role: 'account' | 'webrtc'): Promise<string>;
  stop(): Promise<void>;
}

let prefixCounter = 0;

export async function startBandwidthStack(options: BandwidthOptions = {}): Promise<BandwidthStack> {
  const azurite = await startAzurite();
  const observed: ObservedRequest[] = [];
  const sandbox = await createSandbox({
    platform: 'bandwidth',
    seed: 'bandwidth-core-tests',
    bandwidth: { orderDelayMs: 50, disconnectDelayMs: 50, ...options, observeRequest: (r) => void observed.push(r) },
  });
  const baseEnv: Record<string, string> = {
    ...sandbox.bandwidth.env,
    WEB_PUBSUB_CONNECTION_STRING: 'Endpoint=http://127.0.0.1;Port=9;AccessKey=dW51c2Vk;Version=1.0;',
    // Nothing listens here: these tests make no calls (port 9 is "discard").
    PUBLIC_BASE_URL: 'http://127.0.0.1:9',
    AzureWebJobsStorage: azurite.connectionString,
    APP_SECRET: 'integration-test-secret-0123456789abcdef',
    APP_NAME: 'bwcore',
  };
  const configOf = (env: Record<string, string> = {}): BandwidthAppConfig => {
    const loaded = loadConfig({ ...baseEnv, ...env });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
    if (loaded.config.provider !== 'bandwidth') throw new Error('expected a Bandwidth config');
    return loaded.config;
  };
  const config = configOf();
  const control = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${sandbox.baseUrl}/sandbox/bandwidth${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  const token = async (role: 'account' | 'webrtc') => {
    const [id, secret] =
      role === 'account'
        ? [sandbox.bandwidth.clientId, sandbox.bandwidth.clientSecret]
        : [sandbox.bandwidth.webrtcClientId, sandbox.bandwidth.webrtcClientSecret];
    const res = await fetch(sandbox.bandwidth.oauthUrl, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    return ((await res.json()) as { access_token: string }).access_token;
  };
  return {
    azurite,
    sandbox,
    config,
    observed,
    newApp: (appOptions = {}, env) =>
      createVoiceApp({
        config: env ? configOf(env) : config,
        tablePrefix: `b${process.pid}n${++prefixCounter}`,
        sweepIntervalMs: 0,
        bootstrap: { pollMs: 20 },
        // Short limits so fault tests stay fast; the retry logic itself is the client's.
        bandwidth: { numbersHttp: { timeoutMs: 1500, maxAttempts: 2, maxRetryWaitMs: 50 }, orderPollMs: 20 },
        ...appOptions,
      }),
    control,
    async numbers(method, path) {
      const res = await fetch(`${sandbox.bandwidth.apiUrl}/api/accounts/${sandbox.bandwidth.accountId}${path}`, {
        method,
        headers: { authorization: `Bearer ${await token('account')}` },
      });
      return { status: res.status, text: await res.text() };
    },
    token,
    async stop() {
      await sandbox.close();
      await azurite.stop();
    },
  };
}

/** Numbers in service on the account, as the sandbox's control API lists them. */
export async function numbersInService(
  stack: BandwidthStack,
): Promise<Array<{ number: string; siteId: string; peerId: string; orderId: string; applicationId?: string }>> {
  return (await stack.control('GET', '/numbers')) as never;
}
