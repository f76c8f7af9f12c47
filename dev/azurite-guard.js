// Loaded ahead of Azurite's own entry point (`node --require dev/azurite-guard.js …/table/main.js …`) by
// dev/azurite.ts. Azurite writes an on-disk workspace out only when it closes (its LokiJS store otherwise saves
// every 5 s), and its entry point closes on the first SIGINT or IPC "shutdown" message only: a second request
// during that close ran the close again and crashed it before the write, SIGTERM and SIGHUP skipped the write,
// and a stack killed with -9 left it running with its port. Here every way of stopping it is ONE close:
//   - the "shutdown" message dev/azurite.ts sends (the normal stop);
//   - SIGINT, SIGTERM and SIGHUP, whoever sends them and however often;
//   - the parent going away (its IPC channel closes, even after kill -9), so Azurite never outlives the stack.
// The process then ends by itself once the close has saved the workspace and released its sockets.
'use strict';

const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];
/** How long a stop may wait for Azurite to finish starting before giving up on a clean close. */
const START_WAIT_MS = 15_000;

let stopRequested = false;
let closing = false;
/** Azurite's own close, captured when its entry point registers it (after it starts listening). */
let azuriteClose;

// Azurite's entry point registers process.once('message' | 'SIGINT' | 'SIGTERM', close). Keep its close as the
// one close, and keep its signal handlers out: each would run the close again.
const realOnce = process.once;
process.once = function once(event, listener) {
  if (event === 'message') {
    azuriteClose ??= () => listener('shutdown');
    if (stopRequested) closeOnce();
    return process;
  }
  if (STOP_SIGNALS.includes(event)) return process;
  return realOnce.call(this, event, listener);
};

function closeOnce() {
  if (closing || !azuriteClose) return;
  closing = true;
  azuriteClose();
}

function stop() {
  if (stopRequested) return;
  stopRequested = true;
  if (azuriteClose) closeOnce();
  else setTimeout(() => process.exit(1), START_WAIT_MS).unref(); // it never finished starting: nothing to save
}

for (const signal of STOP_SIGNALS) process.on(signal, stop);
process.on('message', (message) => {
  if (message === 'shutdown') stop();
});
process.on('disconnect', stop);
// The channel only carries the stop request: it must not keep the process alive once Azurite has closed.
process.channel?.unref();
// After the parent is gone its pipes are closed; Azurite's "closing…" lines must not crash the close.
process.stdout.on('error', () => undefined);
process.stderr.on('error', () => undefined);
