// Shared by the calls-*.test.ts files: an in-process sandbox on port 0, Catapult REST and control
// API helpers, and a webhook server on 127.0.0.1:0 that records call events and can act like an app.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSandbox, type Sandbox } from '../../../sandbox/server';
import { parseJsonOrUndefined } from '../../support/parse-json';

export interface Reply {
  status: number;
  headers: Headers;
  json: any;
  text: string;
}

export interface RecordedHook {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | undefined>;
  body: any;
  receivedAt: number;
}

/** What the webhook answers; returning a promise delays the answer. */
export type HookHandler = (hook: RecordedHook) => Promise<number | void> | number | void;

export interface Webhooks {
  url: string; // http://127.0.0.1:<port>
  hooks: RecordedHook[];
  /** Handlers by path; default 200. */
  on(path: string, handler: HookHandler): void;
  events(path?: string): any[];
  waitFor(predicate: (hook: RecordedHook) => boolean, timeoutMs?: number): Promise<RecordedHook>;
  close(): Promise<void>;
}

export async function startWebhooks(): Promise<Webhooks> {
  const hooks: RecordedHook[] = [];
  const handlers = new Map<string, HookHandler>();
  const server: Server = createServer((req, res) => void record(req, res));
  const record = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const text = await readText(req);
    const hook: RecordedHook = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers as Record<string, string | undefined>,
      body: text === '' ? undefined : JSON.parse(text),
      receivedAt: Date.now(),
    };
    hooks.push(hook);
    let status: number;
    try {
      status = (await handlers.get(url.pathname)?.(hook)) ?? 200;
    } catch {
      status = 500;
    }
    if (!res.destroyed) res.writeHead(status).end();
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    hooks,
    on: (path, handler) => handlers.set(path, handler),
    events: (path) => hooks.filter((h) => path === undefined || h.path === path).map((h) => h.body ?? h.query),
    waitFor: (predicate, timeoutMs = 5000) => poll(() => hooks.find(predicate), timeoutMs, 'webhook'),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export interface CallsHarness {
  sandbox: Sandbox;
  userPath: string;
  api(method: string, path: string, body?: unknown): Promise<Reply>;
  control(method: string, path: string, body?: unknown): Promise<Reply>;
  /** Creates an application and returns its id. */
  createApplication(fields: Record<string, unknown>): Promise<string>;
  /** Orders one number (optionally attached to an application); returns the E.164 number. */
  orderNumber(applicationId?: string): Promise<string>;
  /** Creates a domain and an endpoint on it; returns the endpoint. */
  createEndpoint(applicationId?: string): Promise<{ id: string; sipUri: string }>;
  call(callId: string): Promise<any>;
  waitForCall(callId: string, predicate: (call: any) => boolean, timeoutMs?: number): Promise<any>;
  close(): Promise<void>;
}

let domainCounter = 0;

export async function startCallsSandbox(): Promise<CallsHarness> {
  const sandbox = await createSandbox({ seed: 'calls-tests' });
  const authorization = `Basic ${Buffer.from(`${sandbox.account.apiToken}:${sandbox.account.apiSecret}`).toString('base64')}`;
  const userPath = `/v1/users/${sandbox.account.userId}`;
  const send = async (method: string, path: string, body: unknown, headers: Record<string, string>): Promise<Reply> => {
    const response = await fetch(`${sandbox.baseUrl}${path}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    const json = parseJsonOrUndefined(text);
    return { status: response.status, headers: response.headers, json, text };
  };
  const api: CallsHarness['api'] = (method, path, body) => send(method, path, body, { authorization });
  const control: CallsHarness['control'] = (method, path, body) => send(method, path, body, {});
  const created = async (reply: Reply, what: string): Promise<string> => {
    if (reply.status !== 201) throw new Error(`${what} → ${reply.status} ${reply.text}`);
    return reply.headers.get('location')!.split('/').pop()!;
  };
  const call: CallsHarness['call'] = async (callId) => (await control('GET', `/sandbox/calls/${callId}`)).json;
  return {
    sandbox,
    userPath,
    api,
    control,
    createApplication: async (fields) =>
      created(
        await api('POST', `${userPath}/applications`, { name: `app-${Math.random()}`, ...fields }),
        'create application',
      ),
    orderNumber: async (applicationId) => {
      const order = await api('POST', '/v1/availableNumbers/local?areaCode=919&quantity=1');
      if (order.status !== 201 && order.status !== 200) throw new Error(`order → ${order.status} ${order.text}`);
      const { number, location } = order.json[0];
      if (applicationId) {
        const numberId = String(location).split('/').pop();
        const update = await api('POST', `${userPath}/phoneNumbers/${numberId}`, { applicationId });
        if (update.status !== 200) throw new Error(`attach → ${update.status} ${update.text}`);
      }
      return number as string;
    },
    createEndpoint: async (applicationId) => {
      domainCounter += 1;
      const domainId = await created(
        await api('POST', `${userPath}/domains`, {
          name: `calls${domainCounter}x${Date.now().toString(36)}`,
          description: 'calls tests',
        }),
        'create domain',
      );
      const endpointId = await created(
        await api('POST', `${userPath}/domains/${domainId}/endpoints`, {
          name: `user${domainCounter}`,
          domainId,
          ...(applicationId ? { applicationId } : {}),
          credentials: { password: 'secret-password-1' },
        }),
        'create endpoint',
      );
      const endpoint = await api('GET', `${userPath}/domains/${domainId}/endpoints/${endpointId}`);
      return { id: endpointId, sipUri: endpoint.json.sipUri };
    },
    call,
    waitForCall: (callId, predicate, timeoutMs = 5000) =>
      poll(
        async () => {
          const current = await call(callId);
          return predicate(current) ? current : undefined;
        },
        timeoutMs,
        `call ${callId}`,
      ),
    close: () => sandbox.close(),
  };
}

export async function poll<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Event types in delivery order. */
export const types = (events: any[]): string[] => events.map((event) => event.eventType);

async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
