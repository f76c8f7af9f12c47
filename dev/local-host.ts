// The local Functions host: serves the Function App's own app.http registrations on 127.0.0.1 with
// node:http, so the dialpad, the integration tests and the benchmarks run the very code Azure runs,
// without Core Tools (which cannot be installed offline). What it emulates: the "main" glob, the
// host.json routePrefix, route templates, default methods, CORS like local.settings.json Host.CORS,
// 404/405, function keys for authLevel 'function', and timer triggers (dev/timer-runner.ts). What it does
// not: other triggers, bindings (see dev/README.md).
// With `appRoot` it serves an unpacked release bundle instead (dev/worker-core.ts), same code path.
import { randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { HttpRequest, HttpResponse, InvocationContext } from '@azure/functions';
import type { LogFields, Logger } from '../core/log';
import type { VoiceApp } from '../core/voice-app';
import {
  loadFunctionApp,
  readRoutePrefix,
  type FunctionRegistration,
  type TimerRegistration,
} from './function-registry';
import { compileRoute, type RouteMatcher } from './route-matcher';
import { startTimers, type TimerRunner } from './timer-runner';
import { loadReleaseBundle, runAppStartHooks, type WorkerHook } from './worker-core';

/** Far above any real request (the functions cap JSON at 16 KiB); stops a runaway upload early. */
const MAX_REQUEST_BYTES = 1024 * 1024;
const CORS_ALLOWED_HEADERS = 'Authorization, Content-Type';
/**
 * How long close() lets requests already being served finish: a sign-up cut between two of its steps is
 * recovered later, but one that may finish is better finished (its person gets the answer).
 */
const CLOSE_GRACE_MS = 10_000;

export interface LocalHostOptions {
  host?: string; // default 127.0.0.1
  port?: number; // default 7071; 0 = ephemeral
  /** App settings, like local.settings.json "Values". PUBLIC_BASE_URL defaults to this host's URL. */
  env: Record<string, string>;
  /** Origins allowed to call the API from a browser ("*" for any), like Host.CORS. */
  corsOrigins?: string[];
  /** Load dist/ (after `npm run build`) instead of the TypeScript sources. */
  compiled?: boolean;
  /** With `compiled`: the folder holding that package.json and dist/; default this repository. */
  compiledRoot?: string;
  /** Where request lines and the functions' log lines go; default the console. */
  log?: (line: string) => void;
  /** A ready VoiceApp (tests of the host itself); by default one is built from `env`. */
  voiceApp?: VoiceApp;
  /**
   * Serve an unpacked release (`npm run package`) from this folder instead of the repo's functions:
   * its package.json "main" and host.json routePrefix. The bundle has its own @azure/functions and
   * builds its VoiceApp from process.env, as in Azure, so `env` is assigned into process.env before
   * the bundle loads (one bundle host per process), handlers get no third argument (`voiceApp` and
   * `compiled` do not apply), and its appStart hooks (dialpad publishing) run before this resolves.
   */
  appRoot?: string;
  /** Run the timer-triggered functions (default true, as in Azure); tests that count requests turn them off. */
  timers?: boolean;
  /** Replaces timer schedules by function name (NCRONTAB), e.g. a 5-minute timer every second in a test. */
  timerSchedules?: Readonly<Record<string, string>>;
  /**
   * The key a function with authLevel 'function' (or 'admin') needs, in `x-functions-key` or `?code=`, like a
   * function or host key in Azure. Without one those functions answer 401 to everyone.
   */
  functionKey?: string;
}

export interface LocalHost {
  url: string;
  /** The HTTP functions served. */
  registrations: readonly FunctionRegistration[];
  /** The timer-triggered functions (running unless `timers: false`). */
  timers: readonly TimerRegistration[];
  /** The hooks a release bundle registered (appStart ones have run); empty for the repo's functions. */
  hooks: ReadonlyMap<string, readonly WorkerHook[]>;
  close(): Promise<void>;
}

/** What the host serves, whichever way it was loaded. */
interface ServedApp {
  routePrefix: string;
  registrations: FunctionRegistration[];
  timers: TimerRegistration[];
  hooks: ReadonlyMap<string, readonly WorkerHook[]>;
  /** Handler arguments after (request, context) or (timer, context). */
  extraArgs(): unknown[];
}

interface Route {
  registration: FunctionRegistration;
  matcher: RouteMatcher;
}

export async function startLocalHost(options: LocalHostOptions): Promise<LocalHost> {
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? ((line: string) => console.log(line));
  const corsOrigins = new Set(options.corsOrigins ?? []);
  let routes: Route[] = []; // set once loaded, before the URL is handed out
  let served: ServedApp;

  const inFlight = new Set<Promise<void>>();
  const server = createServer((req, res) => {
    const started = Date.now();
    const served = serve(req, res)
      .catch((error: unknown) => {
        log(`local host: request failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        if (!res.headersSent) writeError(res, 500, 'internal-error', 'Something went wrong. Please try again.');
        else res.destroy();
      })
      .finally(() => {
        inFlight.delete(served);
        log(`${req.method} ${stripQuery(req.url)} ${res.statusCode} ${Date.now() - started}ms`);
      });
    inFlight.add(served);
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', baseUrl);
    const method = (req.method ?? 'GET').toUpperCase();
    const origin = req.headers.origin;
    const corsAllowed = origin !== undefined && (corsOrigins.has('*') || corsOrigins.has(origin));
    if (corsAllowed) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Vary', 'Origin');
    }
    const candidates = routes
      .map((route) => ({ route, params: route.matcher.match(url.pathname) }))
      .filter((found): found is { route: Route; params: Record<string, string> } => found.params !== undefined);

    if (method === 'OPTIONS' && req.headers['access-control-request-method'] && origin !== undefined) {
      // Preflight: answered by the host, never by a function (as in Azure). A disallowed origin gets
      // no CORS headers, so the browser blocks the real request.
      if (corsAllowed) {
        const allowed = new Set(candidates.flatMap(({ route }) => route.registration.methods));
        res.setHeader('Access-Control-Allow-Methods', [...allowed].join(', ') || 'GET, POST');
        res.setHeader('Access-Control-Allow-Headers', CORS_ALLOWED_HEADERS);
        res.setHeader('Access-Control-Max-Age', '600');
      }
      res.writeHead(204).end();
      return;
    }
    if (candidates.length === 0) {
      writeError(res, 404, 'not-found', `No API route matches ${url.pathname}.`);
      return;
    }
    const found = candidates.find(({ route }) => route.registration.methods.includes(method as never));
    if (!found) {
      const allow = [...new Set(candidates.flatMap(({ route }) => route.registration.methods))].join(', ');
      res.setHeader('Allow', allow);
      writeError(res, 405, 'method-not-allowed', `${method} is not allowed here. Allowed: ${allow}.`);
      return;
    }
    if (found.route.registration.authLevel !== 'anonymous' && !hasKey(req, url, options.functionKey)) {
      writeError(res, 401, 'unauthorized', 'This function needs a function key (x-functions-key header or ?code=).');
      return;
    }
    const body = await readBody(req);
    if (body === undefined) {
      writeError(res, 413, 'invalid-json', `The request body must be at most ${MAX_REQUEST_BYTES} bytes.`);
      return;
    }
    const request = new HttpRequest({
      method,
      url: url.toString(),
      headers: appendForwardedFor(flattenHeaders(req), req),
      params: found.params,
      ...(body.byteLength > 0 && method !== 'GET' && method !== 'HEAD' ? { body: { bytes: body } } : {}),
    });
    const name = found.route.registration.name;
    const context = new InvocationContext({
      invocationId: randomUUID(),
      functionName: name,
      logHandler: (level, ...args) => log(`[${name}] ${level}: ${args.map(formatLogArg).join(' ')}`),
    });
    const handler = found.route.registration.handler as (...args: unknown[]) => Promise<unknown>;
    const result = await handler(request, context, ...served.extraArgs());
    await writeResult(res, method, result);
  }

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 7071, host, () => resolvePromise());
  });
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://${host}:${port}`;
  let timers: TimerRunner | undefined;
  const close = async () => {
    const closed = new Promise<void>((resolvePromise) => server.close(() => resolvePromise()));
    server.closeIdleConnections();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...inFlight, timers?.stop()]),
      new Promise((resolveWait) => (timer = setTimeout(resolveWait, CLOSE_GRACE_MS))),
    ]);
    clearTimeout(timer);
    server.closeAllConnections();
    await closed;
  };
  // Listen first, then configure: the core's callback URLs need the port an ephemeral listen chose.
  const env: Record<string, string> = { PUBLIC_BASE_URL: baseUrl, ...options.env };
  try {
    served = options.appRoot ? await loadBundle(options.appRoot, env, log) : loadSources(options, env, log);
  } catch (error) {
    await close();
    throw error;
  }
  routes = served.registrations.map((registration) => ({
    registration,
    matcher: compileRoute(served.routePrefix, registration.route),
  }));
  if (options.timers !== false) {
    timers = startTimers({
      timers: served.timers,
      extraArgs: () => served.extraArgs(),
      schedules: options.timerSchedules,
      log,
      formatLogArg,
    });
  }
  return { url: baseUrl, registrations: served.registrations, timers: served.timers, hooks: served.hooks, close };
}

/** The repo's functions (sources or dist), each handler given this host's VoiceApp. */
function loadSources(options: LocalHostOptions, env: Record<string, string>, log: (line: string) => void): ServedApp {
  const functionApp = loadFunctionApp({ compiled: options.compiled, compiledRoot: options.compiledRoot });
  let voiceApp = options.voiceApp;
  return {
    routePrefix: readRoutePrefix(options.compiled ? options.compiledRoot : undefined),
    registrations: functionApp.registrations,
    timers: functionApp.timers,
    hooks: new Map(),
    // The app's handlers take the VoiceApp as an optional third argument; giving each host its own
    // (built from ITS env) lets several hosts with different settings share one process (tests).
    extraArgs: () => [(voiceApp ??= createVoiceApp(functionApp.functionsDir, env, log))],
  };
}

/** A release bundle, configured through process.env as the platform does before the worker loads it. */
async function loadBundle(
  appRoot: string,
  env: Record<string, string>,
  log: (line: string) => void,
): Promise<ServedApp> {
  Object.assign(process.env, env);
  const bundle = loadReleaseBundle(appRoot, log);
  await runAppStartHooks(bundle);
  return { ...bundle, extraArgs: () => [] };
}

/** The same factory and logger functions/index.ts uses, from the same tree (sources or dist). */
function createVoiceApp(functionsDir: string, env: Record<string, string>, log: (line: string) => void): VoiceApp {
  // The tree is chosen at run time (sources or dist), so these are require()s of computed paths.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const factory = require(join(functionsDir, '..', 'core', 'create-voice-app')) as {
    createVoiceAppFromEnv(env: Record<string, string | undefined>, logger?: Logger): VoiceApp;
  };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const root = require(join(functionsDir, 'index')) as {
    createInvocationLogger(fallback: Logger): Logger;
  };
  const line = (level: string) => (message: string, fields?: LogFields) =>
    log(`[host] ${level}: ${message}${fields === undefined ? '' : ` ${formatLogArg(fields)}`}`);
  const hostLogger: Logger = { info: line('info'), warn: line('warn'), error: line('error') };
  return factory.createVoiceAppFromEnv(env, root.createInvocationLogger(hostLogger));
}

async function writeResult(res: ServerResponse, method: string, result: unknown): Promise<void> {
  const response = result instanceof HttpResponse ? result : new HttpResponse(result ?? {});
  for (const [name, value] of response.headers) res.setHeader(name, value);
  const bytes = Buffer.from(await response.arrayBuffer());
  if (method !== 'HEAD' && bytes.byteLength > 0) res.setHeader('Content-Length', bytes.byteLength);
  res.writeHead(response.status);
  res.end(method === 'HEAD' ? undefined : bytes);
}

/** The key as Azure takes it: the `x-functions-key` header or the `code` query parameter. */
function hasKey(req: IncomingMessage, url: URL, expected: string | undefined): boolean {
  const given = Buffer.from(
    (req.headers['x-functions-key'] as string | undefined) ?? url.searchParams.get('code') ?? '',
  );
  if (!expected || given.byteLength !== Buffer.byteLength(expected)) return false;
  return timingSafeEqual(given, Buffer.from(expected));
}

function writeError(res: ServerResponse, status: number, code: string, message: string): void {
  const body = JSON.stringify({ error: { code, message } });
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** The body, or undefined when it is larger than MAX_REQUEST_BYTES. */
async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).byteLength;
    if (size > MAX_REQUEST_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/**
 * As Azure's front end does (docs/contracts/azure-functions.md §10): the address of the connection this host
 * accepted is appended to X-Forwarded-For as "ip:port", after anything the client sent, so the functions read
 * the same header shape locally as in Azure and a client-sent entry can never be the right-most one.
 */
function appendForwardedFor(headers: Record<string, string>, req: IncomingMessage): Record<string, string> {
  const address = req.socket.remoteAddress ?? 'unknown';
  const entry = `${address.includes(':') ? `[${address}]` : address}:${req.socket.remotePort ?? 0}`;
  const sent = headers['x-forwarded-for'];
  return { ...headers, 'x-forwarded-for': sent ? `${sent}, ${entry}` : entry };
}

/** Request lines never show the query: webhook URLs and searches may carry markers we don't log. */
function stripQuery(url: string | undefined): string {
  return (url ?? '/').split('?')[0]!;
}

function formatLogArg(arg: unknown): string {
  if (typeof arg === 'string') return arg;
  if (arg instanceof Error) return arg.stack ?? arg.message;
  try {
    return JSON.stringify(arg);
  } catch {
    return String(arg);
  }
}
