// Loads the Function App's modules the way the Functions worker does, recording every app.http(...) and
// app.timer(...) and app.hook.appStart(...) registration instead of letting @azure/functions (in "test mode"
// outside the host) skip them, with a warning on every start.
// Which files load is decided by package.json "main", exactly as in Azure: sources (.ts via tsx)
// map dist/functions/x.js → functions/x.ts; compiled mode loads dist/ itself.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  app,
  type HttpFunctionOptions,
  type HttpHandler,
  type HttpMethod,
  type TimerFunctionOptions,
  type TimerHandler,
} from '@azure/functions';

export const PROJECT_ROOT = resolve(__dirname, '..');

/** When a registration names no methods, the Functions host accepts GET and POST. */
export const DEFAULT_METHODS: readonly HttpMethod[] = ['GET', 'POST'];

export interface FunctionRegistration {
  name: string;
  methods: HttpMethod[];
  /** Route template as registered (without the routePrefix); defaults to the function name. */
  route: string;
  authLevel: string;
  handler: HttpHandler;
  /** The module that registered it. */
  file: string;
}

/** A timer-triggered function: an NCRONTAB schedule (dev/ncrontab.ts), optionally run once at start. */
export interface TimerRegistration {
  name: string;
  schedule: string;
  runOnStartup: boolean;
  handler: TimerHandler;
  file: string;
}

export interface LoadedFunctionApp {
  registrations: FunctionRegistration[];
  /**
   * The appStart hooks the modules registered, recorded and not run: the local host serves the sources, where the
   * settings are reported by /api/health and each request, and the dialpad is served, not published.
   */
  appStartHooks: Array<(...args: never[]) => unknown>;
  timers: TimerRegistration[];
  /** Directory of the loaded function modules (functions/ or dist/functions/). */
  functionsDir: string;
  files: string[];
}

const loaded = new Map<string, LoadedFunctionApp>();

export interface LoadFunctionAppOptions {
  /** Load the compiled tree (`npm run build`) instead of the TypeScript sources. */
  compiled?: boolean;
  /**
   * Where the compiled tree is: a folder with the app's package.json and its dist/ (and node_modules
   * within reach). Default this repository; tests build into a temporary folder instead.
   */
  compiledRoot?: string;
}

/**
 * Loads (once per process and tree: Node caches modules, so a second load would register
 * nothing) every module the "main" glob names, and returns what they registered.
 */
export function loadFunctionApp(options: LoadFunctionAppOptions = {}): LoadedFunctionApp {
  const compiled = options.compiled ?? false;
  const root = options.compiledRoot ?? PROJECT_ROOT;
  const mode = compiled ? `compiled:${root}` : 'sources';
  const cached = loaded.get(mode);
  if (cached) return cached;

  const files = resolveMainFiles(compiled, root);
  const registrations: FunctionRegistration[] = [];
  const timers: TimerRegistration[] = [];
  const realHttp = app.http;
  const realTimer = app.timer;
  const recorder = (name: string, registration: HttpFunctionOptions) => {
    registrations.push({
      name,
      methods: registration.methods?.length ? [...registration.methods] : [...DEFAULT_METHODS],
      route: registration.route ?? name,
      authLevel: registration.authLevel ?? 'anonymous',
      handler: registration.handler,
      file: current,
    });
  };
  const timerRecorder = (name: string, registration: TimerFunctionOptions) => {
    timers.push({
      name,
      schedule: registration.schedule,
      runOnStartup: registration.runOnStartup ?? false,
      handler: registration.handler,
      file: current,
    });
  };
  let current = '';
  const appStartHooks: LoadedFunctionApp['appStartHooks'] = [];
  const realAppStart = app.hook.appStart;
  (app as { http: typeof app.http }).http = recorder;
  (app.hook as { appStart: unknown }).appStart = (hook: (...args: never[]) => unknown) => {
    appStartHooks.push(hook);
    return { dispose: () => undefined };
  };
  (app as { timer: typeof app.timer }).timer = timerRecorder;
  try {
    for (const file of files) {
      current = file;
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loads a function file for its app.http registrations, as the worker does
      require(file);
    }
  } finally {
    (app as { http: typeof app.http }).http = realHttp;
    (app as { timer: typeof app.timer }).timer = realTimer;
    (app.hook as { appStart: unknown }).appStart = realAppStart;
  }
  const result: LoadedFunctionApp = {
    registrations,
    timers,
    appStartHooks,
    functionsDir: dirname(files[0] ?? ''),
    files,
  };
  loaded.set(mode, result);
  return result;
}

/**
 * The files package.json "main" names, in the compiled tree (under `compiledRoot`, default this repository)
 * or mapped to their sources.
 */
export function resolveMainFiles(compiled: boolean, compiledRoot: string = PROJECT_ROOT): string[] {
  const root = compiled ? compiledRoot : PROJECT_ROOT;
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { main: string };
  const matcher = globToRegExp(pkg.main);
  const directory = pkg.main.slice(0, pkg.main.lastIndexOf('/', pkg.main.search(/[{*]/)));
  const compiledFiles = readdirSync(join(root, compiled ? directory : directory.replace(/^dist\//, '')))
    .map((name) => `${directory}/${compiled ? name : name.replace(/\.ts$/, '.js')}`)
    .filter((path) => matcher.test(path))
    .sort(indexFirst);
  return compiledFiles.map((path) => join(root, compiled ? path : path.replace(/^dist\//, '').replace(/\.js$/, '.ts')));
}

/** The composition root first, as its name suggests; the others in name order. */
function indexFirst(a: string, b: string): number {
  const rank = (path: string) => (path.endsWith('/index.js') ? 0 : 1);
  return rank(a) - rank(b) || a.localeCompare(b);
}

/** The subset of glob syntax the Functions worker's "main" uses: `*`, `?` and `{a,b}`. */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (const char of glob) {
    if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else if (char === '{') source += '(?:';
    else if (char === '}') source += ')';
    else if (char === ',') source += '|';
    else source += char.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/** host.json extensions.http.routePrefix of an app root (this repo or an unpacked release); default "api". */
export function readRoutePrefix(appRoot: string = PROJECT_ROOT): string {
  const host = JSON.parse(readFileSync(join(appRoot, 'host.json'), 'utf8')) as {
    extensions?: { http?: { routePrefix?: string } };
  };
  return (host.extensions?.http?.routePrefix ?? 'api').replace(/^\/+|\/+$/g, '');
}
