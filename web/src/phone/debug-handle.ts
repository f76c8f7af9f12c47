// `window.__dialpad`: a read-only view for browser tests, which poll the peer connection's
// getStats() from Node to prove audio flows. It exposes no credentials and no way to change anything,
// and it exists only in test builds: a released dialpad has no hook into its live call.
import type { DialpadDebugHandle } from './phone';

/**
 * Replaced at build time by web/build.ts (`buildWeb({ testHooks })`): true only in builds for browser tests.
 * Undefined where no bundler ran (unit tests in Node), which counts as false.
 */
declare const __DIALPAD_TEST_HOOKS__: boolean | undefined;

export function exposeDebugHandle(handle: DialpadDebugHandle): void {
  if (typeof __DIALPAD_TEST_HOOKS__ === 'undefined' || !__DIALPAD_TEST_HOOKS__) return;
  Object.defineProperty(globalThis, '__dialpad', {
    value: Object.freeze(handle),
    configurable: true,
    enumerable: false,
  });
}
