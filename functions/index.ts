// Composition root of the Function App. The worker loads this file and every functions/*-*.js
// (package.json "main"); each function file registers itself with app.http(...).
//
// The VoiceApp is built ONCE, on first use, from process.env: cold starts stay cheap, and a
// misconfigured app still starts so /api/health can name the bad settings. Handlers never read
// process.env themselves.
//
// No app.setup(): its only option we could use (enableHttpStream) defaults to false, which is what
// we want (bodies are small JSON), and setup() throws if the worker loaded a function file first.
import { AsyncLocalStorage } from 'node:async_hooks';
import { app, type InvocationContext } from '@azure/functions';
import { loadConfig } from '../core/config';
import type { LogFields, Logger } from '../core/log';
import type { VoiceApp } from '../core/voice-app';

const currentInvocation = new AsyncLocalStorage<InvocationContext>();
let voiceApp: VoiceApp | undefined;

/** Runs `work` with `context` as the sink of the core's log lines written during it. */
export function runWithInvocation<T>(context: InvocationContext, work: () => Promise<T>): Promise<T> {
  return currentInvocation.run(context, work);
}

/**
 * The core's logger, written through the InvocationContext of the request being served, so log
 * lines carry the invocation id in Application Insights. Outside any invocation (start-up, lazy
 * construction) it writes to `fallback`; in Azure that is the console, which the host captures.
 */
export function createInvocationLogger(fallback: Logger = consoleLogger): Logger {
  const write = (level: 'info' | 'warn' | 'error', message: string, fields?: LogFields) => {
    const context = currentInvocation.getStore();
    const args: unknown[] = fields === undefined ? [message] : [message, fields];
    if (!context) fallback[level](message, fields);
    else if (level === 'info') context.log(...args);
    else context[level](...args);
  };
  return {
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
  };
}

const consoleLogger: Logger = {
  info: (message, fields) => console.info(message, ...(fields === undefined ? [] : [fields])),
  warn: (message, fields) => console.warn(message, ...(fields === undefined ? [] : [fields])),
  error: (message, fields) => console.error(message, ...(fields === undefined ? [] : [fields])),
};

export const invocationLogger: Logger = createInvocationLogger();

/** The app's one VoiceApp, built from the process environment on first use. */
export function getVoiceApp(): VoiceApp {
  voiceApp ??= loadCore().createVoiceAppFromEnv(process.env, invocationLogger);
  return voiceApp;
}

/** Required on first use, not at module load: the core is ~60 modules a cold start does not need yet. */
function loadCore(): typeof import('../core/create-voice-app') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the core is loaded on first use, not at module load (cold start)
  return require('../core/create-voice-app') as typeof import('../core/create-voice-app');
}

/** Names every missing or malformed setting in the log; messages never contain secret values. */
export function reportConfigProblems(env: Record<string, string | undefined>, logger: Logger): boolean {
  const result = loadConfig(env);
  if (result.ok) return true;
  for (const problem of result.problems)
    logger.error(`config-invalid: ${problem.message}`, { setting: problem.setting });
  return false;
}

// At start-up the bad settings are named in the log at once, not only on the first request: the app
// still starts, so /api/health can report them too.
app.hook.appStart(() => {
  reportConfigProblems(process.env, consoleLogger);
});
