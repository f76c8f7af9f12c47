// createCatapultClient: the app's one typed Catapult v1 client, on Node's fetch (no SDK;
// docs/contracts/catapult-v1.md §17).
import type { CatapultApi } from './catapult-api';
import { createCatapultHttp } from './catapult-http';
import { noopLogger, type Logger } from '../log';
import { createApplicationResources } from './resources/applications';
import { createCallMediaResources } from './resources/call-media';
import { createCallResources } from './resources/calls';
import { createDomainResources } from './resources/domains';
import { createEndpointResources } from './resources/endpoints';
import { createNumberResources } from './resources/numbers';
import { createTransport } from './transport';

export interface CatapultClientOptions {
  /** e.g. https://api.catapult.inetwork.com/v1, or the sandbox's http://127.0.0.1:8088/v1 */
  baseUrl: string;
  userId: string;
  apiToken: string;
  apiSecret: string;
  fetch?: typeof fetch;
  /** Per attempt, default 10000. */
  timeoutMs?: number;
  /** Attempts per request including the first, default 4. */
  maxAttempts?: number;
  /** Cap on one wait between attempts, default 5000. */
  maxRetryWaitMs?: number;
  /** First backoff step, doubled per attempt; default 250. */
  retryBaseDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** Jitter source in [0, 1); default Math.random. */
  random?: () => number;
  logger?: Logger;
  /** Aborts every request and retry wait of this client (e.g. on shutdown). */
  signal?: AbortSignal;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function positiveInteger(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer`);
  return value;
}

export function createCatapultClient(options: CatapultClientOptions): CatapultApi {
  for (const key of ['baseUrl', 'userId', 'apiToken', 'apiSecret'] as const) {
    if (!options[key]) throw new RangeError(`${key} is required`);
  }
  new URL(options.baseUrl); // throws early on a malformed base URL
  const logger = options.logger ?? noopLogger;
  const transport = createTransport({
    apiToken: options.apiToken,
    apiSecret: options.apiSecret,
    fetch: options.fetch ?? globalThis.fetch,
    timeoutMs: positiveInteger(options.timeoutMs, 10_000, 'timeoutMs'),
    maxAttempts: positiveInteger(options.maxAttempts, 4, 'maxAttempts'),
    sleep: options.sleep ?? defaultSleep,
    timing: {
      now: options.now ?? Date.now,
      random: options.random ?? Math.random,
      maxRetryWaitMs: positiveInteger(options.maxRetryWaitMs, 5_000, 'maxRetryWaitMs'),
      baseDelayMs: positiveInteger(options.retryBaseDelayMs, 250, 'retryBaseDelayMs'),
    },
    logger,
    signal: options.signal,
  });
  const http = createCatapultHttp(transport, options.baseUrl, options.userId);
  return {
    userId: options.userId,
    ...createNumberResources(http, logger),
    ...createApplicationResources(http, logger),
    ...createDomainResources(http, logger),
    ...createEndpointResources(http, logger),
    ...createCallResources(http),
    ...createCallMediaResources(http),
  };
}
