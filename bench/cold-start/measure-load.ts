// Runs inside a fresh `node` (compiled to plain JS first, so no loader of its own is timed): requires
// the module files given as arguments the way the Functions worker does — with
// require('@azure/functions-core') answered by an emulation of the worker, so @azure/functions
// registers for real instead of falling back to its "test mode" — and prints, as JSON, how long
// loading and registering took and how many functions registered.
import Module from 'node:module';
import { performance } from 'node:perf_hooks';

const startedAt = performance.now();
let registered = 0;
const workerCore = {
  version: '3.10.0',
  setProgrammingModel: () => undefined,
  getProgrammingModel: () => undefined,
  log: () => undefined,
  registerHook: () => ({ dispose: () => undefined }),
  registerFunction: () => {
    registered += 1;
    return { dispose: () => undefined };
  },
};
const proto = Module.prototype as unknown as { require: (id: string) => unknown };
const realRequire = proto.require;
proto.require = function (this: unknown, id: string) {
  return id === '@azure/functions-core' ? workerCore : realRequire.call(this, id);
};
// eslint-disable-next-line @typescript-eslint/no-require-imports -- what is measured is exactly the worker's require()
for (const file of process.argv.slice(2)) require(file);
const loadedAt = performance.now();
// Which npm packages the load pulled in (empty for a bundle, which has them inside).
const packages = new Set<string>();
for (const file of Object.keys(require.cache)) {
  const name = /node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(file)?.[1];
  if (name) packages.add(name.replace('\\', '/'));
}
process.stdout.write(
  `${JSON.stringify({ registered, loadMs: loadedAt - startedAt, sinceProcessStartMs: loadedAt, modules: Object.keys(require.cache).length, packages: [...packages].sort() })}\n`,
);
