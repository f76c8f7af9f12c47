// What POST /sandbox/faults accepts. A fault shapes the next `count` /v1 requests that match it.
import { badRequest } from '../errors';

export type FaultPreset = 'rate-limit' | 'call-rate-limit' | 'server-error' | 'timeout';
const PRESETS: readonly FaultPreset[] = ['rate-limit', 'call-rate-limit', 'server-error', 'timeout'];

export interface FaultSpec {
  method?: string; // upper case; any method when absent
  path?: string; // exact request path, or a prefix ending with '*'
  family?: string; // route family (e.g. 'calls', 'phoneNumbers'), see RouteOptions.family
  count: number;
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  delayMs?: number;
  drop?: boolean;
  preset?: FaultPreset;
  /** Hold the request until POST /sandbox/holds/release: before it is served, or served with its answer held. */
  hold?: 'before' | 'after';
}

/** Far beyond any sane client timeout, yet finite so a forgotten fault cannot hang a socket forever. */
export const TIMEOUT_PRESET_DELAY_MS = 30_000;
const MAX_DELAY_MS = 600_000;

export function parseFaultSpec(input: unknown): FaultSpec {
  if (!isObject(input)) throw invalid('The fault must be a JSON object');
  const spec: FaultSpec = { count: 1 };
  if (input.method !== undefined) {
    if (typeof input.method !== 'string' || !/^[A-Za-z]+$/.test(input.method))
      throw invalid('method must be an HTTP method name');
    spec.method = input.method.toUpperCase();
  }
  if (input.path !== undefined) {
    if (typeof input.path !== 'string' || !input.path.startsWith('/')) throw invalid("path must start with '/'");
    if (input.path.slice(0, -1).includes('*')) throw invalid("'*' is only allowed at the end of path");
    spec.path = input.path;
  }
  if (input.family !== undefined) {
    if (typeof input.family !== 'string' || input.family === '') throw invalid('family must be a non-empty string');
    spec.family = input.family;
  }
  if (spec.path === undefined && spec.family === undefined) throw invalid('path (or family) is required');
  if (input.count !== undefined) spec.count = integerIn(input.count, 'count', 1, 100_000);
  if (input.status !== undefined) spec.status = integerIn(input.status, 'status', 200, 599);
  if (input.delayMs !== undefined) spec.delayMs = integerIn(input.delayMs, 'delayMs', 0, MAX_DELAY_MS);
  if (input.drop !== undefined) {
    if (typeof input.drop !== 'boolean') throw invalid('drop must be a boolean');
    spec.drop = input.drop;
  }
  if (input.hold !== undefined) {
    if (input.hold !== 'before' && input.hold !== 'after') throw invalid("hold must be 'before' or 'after'");
    spec.hold = input.hold;
  }
  if (input.headers !== undefined) {
    if (!isObject(input.headers) || !Object.values(input.headers).every((v) => typeof v === 'string')) {
      throw invalid('headers must be an object of strings');
    }
    spec.headers = input.headers as Record<string, string>;
  }
  if (input.body !== undefined) spec.body = input.body;
  if (input.preset !== undefined) {
    if (!PRESETS.includes(input.preset as FaultPreset)) throw invalid(`preset must be one of ${PRESETS.join(', ')}`);
    spec.preset = input.preset as FaultPreset;
  }
  if (spec.body !== undefined && spec.status === undefined && spec.preset === undefined) {
    throw invalid('body needs a status (or a preset)');
  }
  return spec;
}

function integerIn(value: unknown, name: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalid(`${name} must be an integer from ${min} to ${max}`);
  }
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(message: string) {
  return badRequest('invalid-fault', message);
}
