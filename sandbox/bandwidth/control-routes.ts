// The Bandwidth side's control API under /sandbox/bandwidth (no auth, JSON): settings, completing pending orders
// at once, taking a number out of the inventory (someone else ordered it), revoking tokens, faults and the
// request log of /api.
import type { FaultRegistry } from '../faults/fault-registry';
import { parseFaultSpec, type FaultSpec } from '../faults/fault-spec';
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
/** The `family` of a fault on this side: which API's requests it shapes. */
const FAULT_FAMILIES = ['numbers', 'voice', 'oauth'] as const;
const OPTIONAL_TEXT_SETTINGS = ['inAppCallingApplicationId', 'inAppCallingPeerId'] as const;

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
      } else if (name === 'inAppCallingNumber') {
        if (typeof value !== 'string' || !/^\+1[2-9]\d{9}$/.test(value))
          throw controlError(400, 'validation-error', 'inAppCallingNumber must be a NANP number in E.164 (+1…)');
      } else if ((OPTIONAL_TEXT_SETTINGS as readonly string[]).includes(name)) {
        if (value !== null && (typeof value !== 'string' || value === ''))
          throw controlError(400, 'validation-error', `${name} must be a non-empty string, or null to clear it`);
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
    let spec: FaultSpec;
    try {
      spec = parseFaultSpec(jsonBody(request));
    } catch (error) {
      if (error instanceof SandboxHttpError) throw controlError(400, 'invalid-fault', error.message);
      throw error;
    }
    // A fault that could never match would leave a test believing it injected something.
    if (spec.family !== undefined && !(FAULT_FAMILIES as readonly string[]).includes(spec.family))
      throw controlError(400, 'invalid-fault', `family must be one of ${FAULT_FAMILIES.join(', ')}`);
    if (spec.preset === 'call-rate-limit')
      throw controlError(400, 'invalid-fault', 'preset call-rate-limit is Catapult only; use rate-limit');
    const fault = deps.faults.add(spec);
    return { status: 201, body: { id: fault.id } };
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
