// The sandbox control API under /sandbox (no auth, JSON): injected faults, the /v1 request log, health.
import type { Router } from '../context';
import type { FaultRegistry } from '../faults/fault-registry';
import { parseFaultSpec } from '../faults/fault-spec';
import type { RequestLog } from './request-log';

export function mountControlRoutes(router: Router, deps: { faults: FaultRegistry; requestLog: RequestLog }): void {
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
