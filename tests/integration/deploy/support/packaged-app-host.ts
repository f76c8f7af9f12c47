// Runs an UNPACKED release the way Azure's Node worker does: the bundle's own copy of @azure/functions
// talks to the worker through `require('@azure/functions-core')`, which the worker intercepts
// (azure-functions-nodejs-worker setupCoreModule). Here that module is emulated, so the bundle
// registers its functions and hooks exactly as in Azure, and they are served over node:http on
// 127.0.0.1. dev/local-host.ts cannot load a bundle: it records app.http of the repo's own copy.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import Module from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { HttpRequest, HttpResponse, InvocationContext, type HttpResponseInit } from '@azure/functions';
import { globToRegExp } from '../../../../dev/function-registry';
import { compileRoute, type RouteMatcher } from '../../../../dev/route-matcher';

export interface PackagedFunction {
  name: string;
  route: string;
  methods: string[];
  authLevel: string;
  matcher: RouteMatcher;
  handler: (request: HttpRequest, context: InvocationContext) => Promise<unknown>;
}

export interface PackagedAppHost {
  url: string;
  functions: PackagedFunction[];
  hooks: Map<string, Array<(context: unknown) => unknown>>;
  /** Loads the release's "main" files (call once the app settings are in process.env). */
  load(): void;
  close(): Promise<void>;
}

interface CoreBinding {
  type: string;
  direction: string;
  route?: string;
  methods?: string[];
  authLevel?: string;
}

/** Listens first (the app's PUBLIC_BASE_URL needs the port), loads on load(). */
export async function startPackagedAppHost(appRoot: string, log: (line: string) => void = () => undefined): Promise<PackagedAppHost> {
  const functions: PackagedFunction[] = [];
  const hooks = new Map<string, Array<(context: unknown) => unknown>>();
  const pkg = JSON.parse(readFileSync(join(appRoot, 'package.json'), 'utf8')) as { main: string };
  const host = JSON.parse(readFileSync(join(appRoot, 'host.json'), 'utf8')) as { extensions?: { http?: { routePrefix?: string } } };
  const prefix = host.extensions?.http?.routePrefix ?? 'api';

  const coreApi = {
    version: '3.10.0',
    setProgrammingModel: () => undefined,
    getProgrammingModel: () => undefined,
    log: (level: string, category: string, message: string) => log(`${category} ${level}: ${message}`),
    registerHook(name: string, callback: (context: unknown) => unknown) {
      hooks.set(name, [...(hooks.get(name) ?? []), callback]);
      return { dispose: () => undefined };
    },
    registerFunction(metadata: { name: string; bindings: Record<string, CoreBinding> }, callback: PackagedFunction['handler']) {
      const trigger = Object.values(metadata.bindings).find((binding) => binding.direction === 'in' && /trigger$/i.test(binding.type));
      if (trigger?.type !== 'httpTrigger') throw new Error(`${metadata.name}: only HTTP triggers are expected`);
      if (functions.some((f) => f.name === metadata.name)) throw new Error(`duplicate function name ${metadata.name}`);
      const route = trigger.route ?? metadata.name;
      functions.push({
        name: metadata.name,
        route,
        methods: (trigger.methods ?? ['GET', 'POST']).map((m) => m.toUpperCase()),
        authLevel: trigger.authLevel ?? 'anonymous',
        matcher: compileRoute(prefix, route),
        handler: callback,
      });
      return { dispose: () => undefined };
    },
  };

  const server: Server = createServer((req, res) => {
    serve(req).then(
      ({ status, headers, body }) => {
        res.writeHead(status, headers);
        res.end(body);
      },
      (error: unknown) => {
        log(`packaged host: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        res.writeHead(500).end();
      },
    );
  });

  async function serve(req: IncomingMessage): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
    const url = new URL(req.url ?? '/', baseUrl);
    const method = (req.method ?? 'GET').toUpperCase();
    const found = functions
      .map((f) => ({ f, params: f.matcher.match(url.pathname) }))
      .find(({ f, params }) => params !== undefined && f.methods.includes(method));
    if (!found) return { status: 404, headers: {}, body: Buffer.alloc(0) };
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers[name] = value;
    const request = new HttpRequest({
      method,
      url: url.toString(),
      headers,
      params: found.params!,
      ...(body.length > 0 && method !== 'GET' && method !== 'HEAD' ? { body: { bytes: body } } : {}),
    });
    const context = new InvocationContext({
      invocationId: randomUUID(),
      functionName: found.f.name,
      logHandler: (level, ...args) => log(`[${found.f.name}] ${level}: ${args.map(String).join(' ')}`),
    });
    const result = (await found.f.handler(request, context)) as HttpResponseInit | undefined;
    const response = new HttpResponse(result ?? {});
    const out: Record<string, string> = {};
    response.headers.forEach((value, name) => (out[name] = value));
    return { status: response.status, headers: out, body: Buffer.from(await response.arrayBuffer()) };
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: baseUrl,
    functions,
    hooks,
    load() {
      const matcher = globToRegExp(pkg.main);
      const files = [pkg.main].filter((main) => !/[*?{]/.test(main) && matcher.test(main));
      if (files.length !== 1) throw new Error(`expected "main" to name one bundle, got ${pkg.main}`);
      // the worker's interception of require('@azure/functions-core'), only while the bundle loads
      // (the library looks it up once, on its first registration, and keeps it)
      const proto = Module.prototype as unknown as { require: (id: string) => unknown };
      const realRequire = proto.require;
      proto.require = function (this: unknown, id: string) {
        return id === '@azure/functions-core' ? coreApi : realRequire.call(this, id);
      };
      try {
        for (const file of files) require(join(appRoot, file));
      } finally {
        proto.require = realRequire;
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
