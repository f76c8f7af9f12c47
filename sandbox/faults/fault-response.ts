// Turns a fault into what the router does: wait, drop the socket, and/or answer in place of the route.
import type { CatapultErrorBody } from '../errors';
import type { SandboxResponse } from '../context';
import { TIMEOUT_PRESET_DELAY_MS } from './fault-spec';
import type { Fault } from './fault-registry';

export interface FaultAction {
  delayMs: number;
  drop: boolean;
  /** Undefined: after the delay the request is served normally (delay-only and `timeout` faults). */
  response?: SandboxResponse;
}

/** How far ahead a forced 429 says the limit resets; Catapult's window is 1 s per resource family. */
export const RATE_LIMIT_RESET_AHEAD_MS = 1000;

export function faultAction(fault: Fault, now: number): FaultAction {
  const action: FaultAction = { delayMs: fault.delayMs ?? 0, drop: fault.drop === true };
  const preset = presetResponse(fault, now);
  if (fault.preset === 'timeout' && fault.delayMs === undefined) action.delayMs = TIMEOUT_PRESET_DELAY_MS;
  if (preset) {
    action.response = {
      status: fault.status ?? preset.status,
      headers: { ...preset.headers, ...fault.headers },
      body: fault.body ?? preset.body,
    };
  } else if (fault.status !== undefined) {
    action.response = {
      status: fault.status,
      headers: { ...fault.headers },
      body: fault.body ?? (fault.status >= 400 ? genericError(fault.status) : undefined),
    };
  }
  return action;
}

function presetResponse(fault: Fault, now: number): SandboxResponse | undefined {
  switch (fault.preset) {
    case 'rate-limit': {
      const resetAt = now + RATE_LIMIT_RESET_AHEAD_MS;
      // docs/contracts/catapult-v1.md §4: 429, X-RateLimit-Reset in epoch ms, and a body with no message.
      const body: CatapultErrorBody = {
        category: 'too-many-requests',
        code: 'rate-limit-reached',
        details: [{ name: 'rateLimitResetTime', value: String(resetAt) }],
      };
      return { status: 429, headers: { 'X-RateLimit-Reset': String(resetAt) }, body };
    }
    case 'call-rate-limit':
      return {
        status: 403,
        body: {
          category: 'limit',
          code: 'call-rate-limit',
          message: 'You can create 1 calls per 1 seconds, calculated as the average over 10 seconds. Your rate is: 1.1',
          details: [],
        } satisfies CatapultErrorBody,
      };
    case 'server-error':
      return { status: 500, body: genericError(500) };
    case 'timeout':
    case undefined:
      return undefined;
  }
}

function genericError(status: number): CatapultErrorBody {
  if (status === 429) return { category: 'too-many-requests', code: 'rate-limit-reached', details: [] };
  if (status >= 500) {
    return {
      category: 'unavailable',
      code: 'internal-server-error',
      message: 'The server encountered an internal error',
      details: [],
    };
  }
  return {
    category: 'bad-request',
    code: 'sandbox-fault',
    message: `Fault injected with status ${status}`,
    details: [],
  };
}
