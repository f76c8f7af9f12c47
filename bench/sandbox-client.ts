// The few sandbox calls the benchmarks make: its Catapult REST API (Basic auth) to set up the
// floor's own application, domain, endpoints and numbers, and its control API (/sandbox/...) to
// place calls and read the request log.

export interface SandboxAccount {
  userId: string;
  apiToken: string;
  apiSecret: string;
}

export interface SandboxRequestLogEntry {
  method: string;
  path: string;
  status: number;
  startedAt: string;
  durationMs: number;
}

export class SandboxClient {
  private readonly authorization: string;

  constructor(
    readonly baseUrl: string,
    readonly account: SandboxAccount,
  ) {
    this.authorization = `Basic ${Buffer.from(`${account.apiToken}:${account.apiSecret}`).toString('base64')}`;
  }

  /** A Catapult create: returns the id from the Location header. */
  async create(path: string, body: unknown): Promise<string> {
    const response = await this.rest('POST', path, body);
    const location = response.headers.get('location');
    if (!location) throw new Error(`POST ${path}: no Location header`);
    return location.slice(location.lastIndexOf('/') + 1);
  }

  async rest(method: string, path: string, body?: unknown): Promise<Response> {
    const response = await fetch(`${this.baseUrl}/v1${path.replace('{u}', this.account.userId)}`, {
      method,
      headers: {
        authorization: this.authorization,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status >= 300) throw new Error(`${method} ${path} → ${response.status} ${await response.text()}`);
    return response;
  }

  async control<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl}/sandbox${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status >= 300) throw new Error(`sandbox ${method} ${path} → ${response.status} ${text}`);
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  /** An outside phone calls `to` (no media: signalling only, so the tone phone's CPU stays out of the figure). */
  async inboundCall(from: string, to: string): Promise<string> {
    return (await this.control<{ callId: string }>('POST', '/calls/inbound', { from, to, media: 'none' })).callId;
  }

  /** The endpoint `sipUri` dials `to` (the path a SIP INVITE takes, without SIP). */
  async endpointCall(sipUri: string, to: string): Promise<string> {
    return (await this.control<{ callId: string }>('POST', '/calls/endpoint', { sipUri, to })).callId;
  }

  /** The simulated far side of leg `callId` hangs up; 409/404 mean it is already over. */
  async hangUp(callId: string): Promise<void> {
    const response = await fetch(`${this.baseUrl}/sandbox/calls/${callId}/hangup`, { method: 'POST' });
    await response.arrayBuffer();
  }

  requestLog(): Promise<SandboxRequestLogEntry[]> {
    return this.control('GET', '/requests');
  }

  clearRequestLog(): Promise<void> {
    return this.control('DELETE', '/requests');
  }
}
