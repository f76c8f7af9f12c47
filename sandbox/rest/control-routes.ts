// The sandbox control API under /sandbox (no auth, JSON): injected faults, held requests, the /v1 request log,
// health.
import type { Router } from '../context';
import type { FaultRegistry } from '../faults/fault-registry';
import { parseFaultSpec } from '../faults/fault-spec';
import type { Holds } from '../faults/holds';
import { badRequest } from '../errors';
import type { RequestLog } from './request-log';

export function mountControlRoutes(
  router: Router,
  deps: { faults: FaultRegistry; holds: Holds; requestLog: RequestLog },
): void {
  const open = { auth: 'none' as const, family: 'sandbox' };
  router.add('GET', '/sandbox/health', () => ({ status: 200, body: { ok: true } }), open);

  router.add(
    'POST',
    '/sandbox/faults',
    (request) => {
      const fault = deps.faults.add(parseFaultSpec(request.body));
      return { status: 201, headers: { Location: `/sandbox/faults/${fault.id}` }, body: { id: fault.id } };
    },
    open,
  );
  router.add('GET', '/sandbox/faults', () => ({ status: 200, body: deps.faults.list() }), open);
  router.add(
    'DELETE',
    '/sandbox/faults',
    () => {
      deps.faults.clear();
      return { status: 200 };
    },
    open,
  );

  router.add('GET', '/sandbox/holds', () => ({ status: 200, body: deps.holds.list() }), open);
  router.add(
    'POST',
    '/sandbox/holds/release',
    (request) => {
      const body = request.body as { faultId?: unknown } | undefined;
      const faultId = body?.faultId;
      if (faultId !== undefined && typeof faultId !== 'string')
        throw badRequest('invalid-hold', 'faultId must be a string');
      return { status: 200, body: { released: deps.holds.release(faultId) } };
    },
    open,
  );

  router.add('GET', '/sandbox/requests', () => ({ status: 200, body: deps.requestLog.list() }), open);
  router.add(
    'DELETE',
    '/sandbox/requests',
    () => {
      deps.requestLog.clear();
      return { status: 200 };
    },
    open,
  );
}
