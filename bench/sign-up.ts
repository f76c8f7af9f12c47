// Figure 5: Catapult round trips on the sign-up critical path (goal ≤ 4) and the sign-up's wall
// time against the sum of those requests' own times in the sandbox's request log. Every request the
// app sends to Catapult goes through the measuring proxy, whose arrival/answer times give the
// critical path (the longest chain of requests that did not overlap).
import { performance } from 'node:perf_hooks';
import type { SandboxClient } from './sandbox-client';
import type { ProxiedRequest, TimingProxy } from './timing-proxy';

export interface SignUpSample {
  wallMs: number;
  catapultRequests: number;
  criticalPathRoundTrips: number;
  /** Sum of the sandbox's own durationMs over those requests (its log has whole milliseconds). */
  catapultLogSumMs: number;
  /** The same requests' times as the proxy in front of the sandbox saw them (sub-millisecond). */
  catapultSumMs: number;
  /** Table Storage requests the sign-up made, and which (keys elided). */
  storageRequests: number;
  storage: string[];
  requests: string[];
}

export interface SignedUpUser {
  username: string;
  number: string;
  sipUri: string;
}

export async function measuredSignUp(options: {
  apiUrl: string;
  sandbox: SandboxClient;
  catapultProxy: TimingProxy;
  storageProxy: TimingProxy;
  username: string;
  areaCode: string;
}): Promise<{ user: SignedUpUser; sample: SignUpSample }> {
  const search = await fetch(`${options.apiUrl}/api/numbers?areaCode=${options.areaCode}&quantity=1`);
  const found = (await search.json()) as { numbers?: Array<{ number: string; signature: string }> };
  const number = found.numbers?.[0]?.number;
  const signature = found.numbers?.[0]?.signature;
  if (search.status !== 200 || !number) throw new Error(`number search failed: ${search.status}`);

  await options.sandbox.clearRequestLog();
  for (const proxy of [options.catapultProxy, options.storageProxy]) {
    proxy.clear();
    proxy.record(true);
  }
  const started = performance.now();
  const response = await fetch(`${options.apiUrl}/api/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: options.username, number, signature }),
  });
  const body = (await response.json()) as { user?: { sipUri: string } };
  const wallMs = performance.now() - started;
  options.catapultProxy.record(false);
  options.storageProxy.record(false);
  if (response.status !== 201 || !body.user)
    throw new Error(`sign-up failed: ${response.status} ${JSON.stringify(body)}`);

  const proxied = options.catapultProxy.finished();
  const logged = (await options.sandbox.requestLog()).filter((entry) => entry.path.startsWith('/v1/'));
  return {
    user: { username: options.username, number, sipUri: body.user.sipUri },
    sample: {
      wallMs,
      catapultRequests: logged.length,
      criticalPathRoundTrips: criticalPathLength(proxied),
      catapultLogSumMs: logged.reduce((sum, entry) => sum + entry.durationMs, 0),
      catapultSumMs: proxied.reduce((sum, entry) => sum + (entry.answeredAt - entry.arrivedAt), 0),
      storageRequests: options.storageProxy.finished().length,
      storage: options.storageProxy
        .finished()
        .map((entry) => `${entry.method} ${entry.url.split('?')[0]!.replace(/'[^']*'/g, "'…'")}`),
      requests: logged.map(
        (entry) =>
          `${entry.method} ${entry.path.replace(/\/users\/[^/]+/, '/users/{u}').replace(/\/(n|a|rd|re)-[a-z0-9]+/g, '/$1-…')}`,
      ),
    },
  };
}

/** The most requests that ran one after another (each starting after the previous answered). */
export function criticalPathLength(requests: readonly Pick<ProxiedRequest, 'arrivedAt' | 'answeredAt'>[]): number {
  const sorted = [...requests].sort((a, b) => a.answeredAt - b.answeredAt);
  const chain: number[] = [];
  sorted.forEach((request, i) => {
    let best = 0;
    for (let j = 0; j < i; j++) if (sorted[j]!.answeredAt <= request.arrivedAt) best = Math.max(best, chain[j]!);
    chain.push(best + 1);
  });
  return Math.max(0, ...chain);
}
