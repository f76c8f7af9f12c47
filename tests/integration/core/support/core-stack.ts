// The core against real neighbours: in-memory Azurite, the Catapult sandbox, the real Catapult client,
// and a bare node:http webhook on 127.0.0.1 that hands events to VoiceApp.handleWebhook
// (no Azure Functions layer: this tests the core alone).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCatapultClient } from '../../../../core/catapult/client';
import type { CatapultApi } from '../../../../core/catapult/catapult-api';
import { loadConfig, type CatapultAppConfig } from '../../../../core/config';
import { createVoiceApp, type CoreVoiceApp, type CreateVoiceAppOptions } from '../../../../core/create-voice-app';
import { isAppError } from '../../../../core/errors';
import { startAzurite, type RunningAzurite } from '../../../../dev/azurite';
import { createSandbox, type Sandbox } from '../../../../sandbox/server';

export interface CoreStack {
  azurite: RunningAzurite;
  sandbox: Sandbox;
  config: CatapultAppConfig;
  webhookUrl: string;
  /** Events the webhook received, with the status it answered. */
  deliveries: Array<{ query: Record<string, string>; body: any; status: number; code?: string }>;
  catapult: CatapultApi;
  /** A fresh VoiceApp on its own tables (unique prefix) unless `tablePrefix` is given. */
  newApp(options?: Partial<CreateVoiceAppOptions>): CoreVoiceApp;
  /** The app the webhook serves. */
  app: CoreVoiceApp;
  control(method: string, path: string, body?: unknown): Promise<any>;
  stop(): Promise<void>;
}

let prefixCounter = 0;

export async function startCoreStack(): Promise<CoreStack> {
  const azurite = await startAzurite();
  const sandbox = await createSandbox();
  const deliveries: CoreStack['deliveries'] = [];
  let app: CoreVoiceApp | undefined;
  const answer = async (req: IncomingMessage, res: ServerResponse, chunks: Buffer[]) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const query = Object.fromEntries(url.searchParams);
    let body: unknown;
    try {
      body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
    } catch {
      body = null;
    }
    let status = 200;
    let code: string | undefined;
    try {
      if (url.pathname !== '/api/catapult/events' || !app) throw new Error('not ready');
      await app.handleWebhook({ route: 'catapult', authorization: req.headers.authorization, query, body });
    } catch (error) {
      status = isAppError(error) ? error.status : 500;
      code = isAppError(error) ? error.code : String(error);
    }
    deliveries.push({ query, body, status, code });
    res.writeHead(status).end();
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => void answer(req, res, chunks));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const loaded = loadConfig({
    CATAPULT_USER_ID: sandbox.account.userId,
    CATAPULT_API_TOKEN: sandbox.account.apiToken,
    CATAPULT_API_SECRET: sandbox.account.apiSecret,
    CATAPULT_DOMAIN_NAME: 'coretest',
    CATAPULT_API_URL: sandbox.apiUrl,
    CATAPULT_SIP_WEBSOCKET_URL: sandbox.websocketUrl,
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    AzureWebJobsStorage: azurite.connectionString,
    APP_SECRET: 'integration-test-secret-0123456789abcdef',
  });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  if (loaded.config.provider !== 'catapult') throw new Error('expected a Catapult config');
  const config = loaded.config;
  // Short timeouts and few attempts so fault tests stay fast; the retry logic itself is the client's.
  const catapult = createCatapultClient({
    baseUrl: config.catapultApiUrl,
    userId: config.catapultUserId,
    apiToken: config.catapultApiToken,
    apiSecret: config.catapultApiSecret,
    timeoutMs: 1000,
    maxAttempts: 2,
    retryBaseDelayMs: 10,
    maxRetryWaitMs: 50,
  });
  const newApp = (options: Partial<CreateVoiceAppOptions> = {}) =>
    createVoiceApp({
      config,
      catapult,
      tablePrefix: `c${process.pid}n${++prefixCounter}`,
      sweepIntervalMs: 0,
      bootstrap: { pollMs: 20 },
      ...options,
    });
  app = newApp();
  const control = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(sandbox.baseUrl + path, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  return {
    azurite,
    sandbox,
    config,
    webhookUrl: `http://127.0.0.1:${port}/api/catapult/events`,
    deliveries,
    catapult,
    newApp,
    get app() {
      return app!;
    },
    set app(value: CoreVoiceApp) {
      app = value;
    },
    control,
    async stop() {
      await new Promise((resolve) => server.close(resolve));
      server.closeAllConnections?.();
      await sandbox.close();
      await azurite.stop();
    },
  };
}

/** Everything the account holds, straight from the sandbox through the client. */
export async function accountInventory(catapult: CatapultApi, domainId?: string) {
  const numbers: string[] = [];
  for await (const n of catapult.listPhoneNumbers()) numbers.push(n.number);
  const endpoints: string[] = [];
  if (domainId) for await (const e of catapult.listEndpoints(domainId)) endpoints.push(e.name);
  const applications: string[] = [];
  for await (const a of catapult.listApplications()) applications.push(a.id);
  const domains: string[] = [];
  for await (const d of catapult.listDomains()) domains.push(d.id);
  return { numbers, endpoints, applications, domains };
}

/** Every number freshNumber() handed out in this process. */
const handedOut = new Set<string>();

/**
 * A number the sandbox still sells that no earlier call handed out, so each test owns its numbers: a number
 * an earlier test left held by its pending sign-up (a transient failure keeps the row for the retry) is never
 * reused by a later one, whose sign-up would then meet that row instead of its own race.
 */
export async function freshNumber(app: CoreVoiceApp, areaCode = '919'): Promise<string> {
  const { numbers } = await app.searchNumbers({ areaCode, quantity: 50 });
  const fresh = numbers.find(({ number }) => !handedOut.has(number));
  if (!fresh) throw new Error(`no number in ${areaCode} left that no earlier test was given`);
  handedOut.add(fresh.number);
  return fresh.number;
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
