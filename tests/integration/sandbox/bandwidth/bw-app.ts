// A tiny test "app" for the Bandwidth sandbox: an HTTP server on 127.0.0.1:0 that records every callback, checks
// its Basic credentials, validates its body against bandwidth.yml, and answers with BXML from a handler per path.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { assertCallback } from '../../../support/bandwidth-openapi';

export interface Hook {
  path: string;
  method: string;
  body: Record<string, any>;
  authorization?: string;
  schemaError?: string;
}

/** Returns BXML (200, application/xml), a number (that status, empty), or nothing (204). */
export type HookHandler = (hook: Hook) => string | number | void | Promise<string | number | void>;

export interface TestApp {
  url: string;
  hooks: Hook[];
  on(path: string, handler: HookHandler): void;
  waitFor(predicate: (hook: Hook) => boolean, timeoutMs?: number): Promise<Hook>;
  /** Every callback body recorded since the last check matched its bandwidth.yml schema. */
  assertAllValid(): void;
  close(): Promise<void>;
}

export async function startTestApp(): Promise<TestApp> {
  const hooks: Hook[] = [];
  const handlers = new Map<string, HookHandler>();
  const waiters: Array<() => void> = [];
  let checked = 0;
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    req.on('end', () => {
      void (async () => {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        const body = (raw === '' ? Object.fromEntries(url.searchParams) : JSON.parse(raw)) as Record<string, any>;
        const hook: Hook = {
          path: url.pathname,
          method: req.method ?? 'GET',
          body,
          ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
        };
        try {
          assertCallback(body);
        } catch (error) {
          hook.schemaError = (error as Error).message;
        }
        hooks.push(hook);
        for (const wake of waiters.splice(0)) wake();
        let answer: string | number | void;
        try {
          answer = await handlers.get(url.pathname)?.(hook);
        } catch {
          answer = 500;
        }
        if (res.destroyed) return;
        if (typeof answer === 'string') res.writeHead(200, { 'Content-Type': 'application/xml' }).end(answer);
        else res.writeHead(answer ?? 204).end();
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    hooks,
    on: (path, handler) => handlers.set(path, handler),
    async waitFor(predicate, timeoutMs = 8000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = hooks.find(predicate);
        if (found) return found;
        const left = deadline - Date.now();
        if (left <= 0)
          throw new Error(
            `no matching callback within ${timeoutMs} ms; got ${hooks.map((h) => `${h.path}:${h.body.eventType}`).join(', ')}`,
          );
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.min(left, 200));
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
    assertAllValid() {
      const invalid = hooks.slice(checked).filter((hook) => hook.schemaError);
      checked = hooks.length;
      if (invalid.length > 0) throw new Error(invalid.map((hook) => hook.schemaError).join('\n'));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export const basicOf = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

export async function poll<T>(
  read: () => Promise<T | undefined> | T | undefined,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
