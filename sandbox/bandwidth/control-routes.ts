// The Bandwidth side's control API under /sandbox/bandwidth (no auth, JSON): settings, completing pending orders
// at once, taking a number out of the inventory (someone else ordered it), revoking tokens, faults and the
// request log of /api.
import type { FaultRegistry } from '../faults/fault-registry';
import { parseFaultSpec } from '../faults/fault-spec';
import type { RequestLog } from '../rest/request-log';
import { SandboxHttpError } from '../errors';
import type { BandwidthSettings } from './bandwidth-options';
import { controlError } from './http/bw-errors';
import type { BwRequest, BwRouter } from './http/bw-router';
import type { TokenIssuer } from './http/oauth';
import { toE164, type NumbersStore } from './numbers/numbers-store';
import type { Scheduler } from './numbers/scheduler';

export interface ControlDeps {
  settings: BandwidthSettings;
  store: NumbersStore;
  scheduler: Scheduler;
  tokens: TokenIssuer;
  faults: FaultRegistry;
  requestLog: RequestLog;
}

const NUMERIC_SETTINGS = [
  'tokenTtlSeconds',
  'orderDelayMs',
  'disconnectDelayMs',
  'callsPerSecond',
  'maxConcurrentCalls',
] as const;
const TEXT_SETTINGS = ['inAppCallingNumber', 'inAppCallingApplicationId', 'inAppCallingPeerId'] as const;

export function jsonBody(request: BwRequest): Record<string, unknown> {
  if (request.body.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(request.body);
  } catch {
    throw controlError(400, 'invalid-json', 'The body is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw controlError(400, 'validation-error', 'The body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

export function mountBandwidthControl(router: BwRouter, deps: ControlDeps): void {
  const base = '/sandbox/bandwidth';
  const open = (method: string, path: string, handler: Parameters<BwRouter['add']>[3]) =>
    router.add(method, `${base}${path}`, 'control', handler, 'none');

  open('GET', '/settings', () => ({ status: 200, body: deps.settings }));
  open('PUT', '/settings', (request) => {
    const input = jsonBody(request);
    for (const [name, value] of Object.entries(input)) {
      if ((NUMERIC_SETTINGS as readonly string[]).includes(name)) {
        if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 86_400_000) {
          throw controlError(400, 'validation-error', `${name} must be a non-negative integer`);
        }
      } else if ((TEXT_SETTINGS as readonly string[]).includes(name)) {
        if (value !== null && typeof value !== 'string')
          throw controlError(400, 'validation-error', `${name} must be a string or null`);
      } else {
        throw controlError(400, 'validation-error', `Unknown setting '${name}'`);
      }
    }
    for (const [name, value] of Object.entries(input)) {
      const settings = deps.settings as unknown as Record<string, unknown>;
      if (value === null) delete settings[name];
      else settings[name] = value;
    }
    return { status: 200, body: deps.settings };
  });
  open('POST', '/orders/settle', () => ({ status: 200, body: { completed: deps.scheduler.settle() } }));
  open('POST', '/inventory/take', (request) => {
    const { number } = jsonBody(request);
    if (typeof number !== 'string')
      throw controlError(400, 'validation-error', 'number (E.164 or 10 digits) is required');
    const e164 = number.startsWith('+') ? number : toE164(number.replace(/^1(?=\d{10}$)/, ''));
    if (!deps.store.inventory.take(e164))
      throw controlError(404, 'number-not-in-inventory', `${e164} is not in the inventory`);
    return { status: 200, body: { number: e164 } };
  });
  open('GET', '/numbers', () => ({
    status: 200,
    body: [...deps.store.numbers.values()].map((n) => ({
      number: n.e164,
      siteId: n.siteId,
      peerId: n.peerId,
      orderId: n.orderId,
      applicationId: deps.store.applicationOfNumber(n.e164)?.id ?? null,
    })),
  }));
  open('POST', '/tokens/revoke', () => {
    deps.tokens.revokeAll();
    return { status: 200, body: { revoked: true } };
  });
  open('POST', '/faults', (request) => {
    try {
      const fault = deps.faults.add(parseFaultSpec(jsonBody(request)));
      return { status: 201, body: { id: fault.id } };
    } catch (error) {
      if (error instanceof SandboxHttpError) throw controlError(400, 'invalid-fault', error.message);
      throw error;
    }
  });
  open('GET', '/faults', () => ({ status: 200, body: deps.faults.list() }));
  open('DELETE', '/faults', () => {
    deps.faults.clear();
    return { status: 200, body: { cleared: true } };
  });
  open('GET', '/requests', () => ({ status: 200, body: deps.requestLog.list() }));
  open('DELETE', '/requests', () => {
    deps.requestLog.clear();
    return { status: 200, body: { cleared: true } };
  });
}
