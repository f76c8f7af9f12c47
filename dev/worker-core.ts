// Loads an UNPACKED release (`npm run package`) the way Azure's Node worker does. The bundle carries
// its own copy of @azure/functions, which talks to the worker through `require('@azure/functions-core')`;
// the worker intercepts that require (azure-functions-nodejs-worker setupCoreModule). Here that module
// is emulated, so the bundle registers its functions and hooks exactly as in Azure, and
// dev/local-host.ts serves them. The repo's sources are loaded differently (dev/function-registry.ts
// records app.http of the repo's copy, which runs in "test mode" outside a worker).
import { readFileSync } from 'node:fs';
import Module from 'node:module';
import { join } from 'node:path';
import type { HttpHandler, HttpMethod, TimerHandler } from '@azure/functions';
import {
  DEFAULT_METHODS,
  readRoutePrefix,
  type FunctionRegistration,
  type TimerRegistration,
} from './function-registry';

/** A hook as the bundle's library registers it: it wraps the app's handler around the core context. */
export type WorkerHook = (context: unknown) => unknown;

export interface ReleaseBundle {
  appRoot: string;
  /** host.json extensions.http.routePrefix of the bundle. */
  routePrefix: string;
  registrations: FunctionRegistration[];
  timers: TimerRegistration[];
  /** By hook name (appStart, appTerminate, preInvocation…), in registration order. */
  hooks: Map<string, WorkerHook[]>;
}

interface CoreBinding {
  type: string;
  direction: string;
  route?: string;
  methods?: string[];
  authLevel?: string;
  schedule?: string;
  runOnStartup?: boolean;
}

interface CoreFunctionMetadata {
  name: string;
  bindings: Record<string, CoreBinding>;
}

let loadedRoot: string | undefined;

/**
 * Requires the one file the bundle's package.json "main" names, with `@azure/functions-core`
 * emulated, and returns what it registered. Call it once the app settings are in process.env: the
 * bundle reads them there, as in Azure. One bundle per process, like a worker: Node caches the
 * module, so a second load would register nothing.
 */
export function loadReleaseBundle(appRoot: string, log: (line: string) => void = () => undefined): ReleaseBundle {
  if (loadedRoot !== undefined) throw new Error(`a release bundle (${loadedRoot}) is already loaded in this process`);
  const bundle: ReleaseBundle = {
    appRoot,
    routePrefix: readRoutePrefix(appRoot),
    registrations: [],
    timers: [],
    hooks: new Map(),
  };
  const file = join(appRoot, readBundleMain(appRoot));
  const coreApi = createCoreApi(bundle, file, log);
  // The worker's interception of require('@azure/functions-core'), only while the bundle loads: the
  // library looks it up once, on its first registration, and keeps it.
  const proto = Module.prototype as unknown as { require: (id: string) => unknown };
  const realRequire = proto.require;
  proto.require = function (this: unknown, id: string) {
    return id === '@azure/functions-core' ? coreApi : realRequire.call(this, id);
  };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loads the bundle the way the worker does, inside the interception above
    require(file);
    loadedRoot = appRoot;
  } finally {
    proto.require = realRequire;
  }
  return bundle;
}

/** Runs the bundle's appStart hooks in order, as the worker does once the app is loaded. */
export async function runAppStartHooks(bundle: ReleaseBundle): Promise<void> {
  for (const hook of bundle.hooks.get('appStart') ?? []) {
    await hook({ hookData: {}, appHookData: {}, functionAppDirectory: bundle.appRoot });
  }
}

/** A release names its one bundle in "main" (no glob): everything else is inside it. */
function readBundleMain(appRoot: string): string {
  const pkg = JSON.parse(readFileSync(join(appRoot, 'package.json'), 'utf8')) as { main?: string };
  if (!pkg.main || /[*?{]/.test(pkg.main)) throw new Error(`expected "main" to name one bundle, got ${pkg.main}`);
  return pkg.main;
}

/** The part of the worker's core API that @azure/functions v4 calls while an app registers. */
function createCoreApi(bundle: ReleaseBundle, file: string, log: (line: string) => void) {
  return {
    version: '3.10.0',
    setProgrammingModel: () => undefined,
    getProgrammingModel: () => undefined,
    log: (level: string, category: string, message: string) => log(`${category} ${level}: ${message}`),
    registerHook(name: string, callback: WorkerHook) {
      bundle.hooks.set(name, [...(bundle.hooks.get(name) ?? []), callback]);
      return { dispose: () => undefined };
    },
    registerFunction(metadata: CoreFunctionMetadata, callback: HttpHandler & TimerHandler) {
      const trigger = triggerOf(metadata);
      const names = [...bundle.registrations, ...bundle.timers].map((r) => r.name);
      if (names.includes(metadata.name)) throw new Error(`duplicate function name ${metadata.name}`);
      if (trigger?.type === 'timerTrigger') bundle.timers.push(toTimer(metadata.name, trigger, callback, file));
      else bundle.registrations.push(toRegistration(metadata, callback, file));
      return { dispose: () => undefined };
    },
  };
}

function triggerOf(metadata: CoreFunctionMetadata): CoreBinding | undefined {
  return Object.values(metadata.bindings).find((b) => b.direction === 'in' && /trigger$/i.test(b.type));
}

/** The timer trigger binding as a TimerRegistration (the local host runs it on its schedule). */
function toTimer(name: string, trigger: CoreBinding, handler: TimerHandler, file: string): TimerRegistration {
  if (!trigger.schedule) throw new Error(`${name}: a timer trigger needs a schedule`);
  return { name, schedule: trigger.schedule, runOnStartup: trigger.runOnStartup ?? false, handler, file };
}

/** The HTTP trigger binding as a FunctionRegistration; the host rejects the same things Azure would. */
function toRegistration(metadata: CoreFunctionMetadata, handler: HttpHandler, file: string): FunctionRegistration {
  const trigger = triggerOf(metadata);
  if (trigger?.type !== 'httpTrigger')
    throw new Error(`${metadata.name}: only HTTP and timer triggers are served locally`);
  return {
    name: metadata.name,
    route: trigger.route ?? metadata.name,
    methods: trigger.methods?.length ? trigger.methods.map((m) => m.toUpperCase() as HttpMethod) : [...DEFAULT_METHODS],
    authLevel: trigger.authLevel ?? 'anonymous',
    handler,
    file,
  };
}
