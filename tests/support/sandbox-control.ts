// The sandbox's control API (/sandbox/...) for integration tests: the /v1 request log, injected
// faults, held requests and the simulated phone network's calls.
import { callApi } from './api-client';

export interface LoggedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  faultId?: string;
}

export class SandboxControl {
  constructor(readonly baseUrl: string) {}

  async requests(): Promise<LoggedRequest[]> {
    return (await this.ok('GET', '/sandbox/requests')) as LoggedRequest[];
  }

  async clearRequests(): Promise<void> {
    await this.ok('DELETE', '/sandbox/requests');
  }

  /** Number of logged /v1 requests matching method and a path pattern. */
  async count(method: string, path: RegExp): Promise<number> {
    return (await this.requests()).filter((r) => r.method === method && path.test(r.path)).length;
  }

  async fault(spec: Record<string, unknown>): Promise<string> {
    return ((await this.ok('POST', '/sandbox/faults', spec)) as { id: string }).id;
  }

  async clearFaults(): Promise<void> {
    await this.ok('DELETE', '/sandbox/faults');
  }

  /** Requests a `hold` fault is holding right now. */
  async holds(): Promise<Array<{ id: string; faultId: string; method: string; path: string; stage: string }>> {
    return (await this.ok('GET', '/sandbox/holds')) as Array<{
      id: string;
      faultId: string;
      method: string;
      path: string;
      stage: string;
    }>;
  }

  /** Lets held requests go on (one fault's, or all); returns how many. */
  async release(faultId?: string): Promise<number> {
    return ((await this.ok('POST', '/sandbox/holds/release', faultId ? { faultId } : {})) as { released: number })
      .released;
  }

  /** A PSTN phone calls `to` (the app's user's number). */
  async inboundCall(from: string, to: string): Promise<any> {
    return this.ok('POST', '/sandbox/calls/inbound', { from, to });
  }

  /** The user's SIP endpoint dials `to` (as the dialpad would). */
  async endpointCall(sipUri: string, to: string): Promise<any> {
    return this.ok('POST', '/sandbox/calls/endpoint', { sipUri, to });
  }

  async calls(): Promise<any[]> {
    const body = (await this.ok('GET', '/sandbox/calls')) as any;
    return Array.isArray(body) ? body : (body?.calls ?? []);
  }

  private async ok(method: string, path: string, body?: unknown): Promise<unknown> {
    const answer = await callApi(this.baseUrl, method, path, { body });
    if (answer.status >= 300) {
      throw new Error(`sandbox ${method} ${path} → ${answer.status} ${JSON.stringify(answer.json)}`);
    }
    return answer.json;
  }
}
