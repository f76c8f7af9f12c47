// `window.__dialpad`: a read-only view for browser tests, which poll the peer connection's
// getStats() from Node to prove audio flows. It exposes no credentials and no way to change anything.
import type { DialpadDebugHandle } from './phone';

export function exposeDebugHandle(handle: DialpadDebugHandle): void {
  Object.defineProperty(globalThis, '__dialpad', {
    value: Object.freeze(handle),
    configurable: true,
    enumerable: false,
  });
}
