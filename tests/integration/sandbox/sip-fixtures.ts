// Provisioning through the sandbox's Catapult REST API (as the app would), for the SIP integration and e2e tests.
import type { Sandbox } from '../../../sandbox/server';

export interface ProvisionedEndpoint {
  endpointId: string;
  domainId: string;
  name: string;
  password: string;
  realm: string;
  sipUri: string;
}

export class SandboxApi {
  private readonly auth: string;

  constructor(private readonly sandbox: Sandbox) {
    this.auth = 'Basic ' + Buffer.from(`${sandbox.account.apiToken}:${sandbox.account.apiSecret}`).toString('base64');
  }

  async request(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; location?: string; json: any }> {
    const url = path.startsWith('/v1/')
      ? `${this.sandbox.baseUrl}${path}`
      : `${this.sandbox.apiUrl}/users/${this.sandbox.account.userId}${path}`;
    const response = await fetch(url, {
      method,
      headers: { authorization: this.auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (response.status >= 400) throw new Error(`${method} ${path} → ${response.status} ${text}`);
    return {
      status: response.status,
      location: response.headers.get('location') ?? undefined,
      json: text ? JSON.parse(text) : undefined,
    };
  }

  private static idFrom(location: string | undefined): string {
    return location!.split('/').pop()!;
  }

  async createApplication(incomingCallUrl: string): Promise<string> {
    const { location } = await this.request('POST', '/applications', {
      name: 'sip-test',
      incomingCallUrl,
      autoAnswer: true,
    });
    return SandboxApi.idFrom(location);
  }

  async createDomain(name: string): Promise<string> {
    return SandboxApi.idFrom((await this.request('POST', '/domains', { name, description: 'sip tests' })).location);
  }

  async createEndpoint(
    domainId: string,
    name: string,
    options: { password?: string; applicationId?: string; enabled?: boolean } = {},
  ): Promise<ProvisionedEndpoint> {
    const password = options.password ?? `pw-${name}-0123456789`;
    const { location } = await this.request('POST', `/domains/${domainId}/endpoints`, {
      name,
      description: name,
      credentials: { password },
      ...(options.applicationId ? { applicationId: options.applicationId } : {}),
      ...(options.enabled === undefined ? {} : { enabled: options.enabled }),
    });
    const endpointId = SandboxApi.idFrom(location);
    const { json } = await this.request('GET', `/domains/${domainId}/endpoints/${endpointId}`);
    return { endpointId, domainId, name, password, realm: json.credentials.realm, sipUri: json.sipUri };
  }

  async createToken(endpoint: ProvisionedEndpoint, expires?: number): Promise<string> {
    const { json } = await this.request(
      'POST',
      `/domains/${endpoint.domainId}/endpoints/${endpoint.endpointId}/tokens`,
      expires ? { expires } : {},
    );
    return json.token;
  }

  async revokeToken(endpoint: ProvisionedEndpoint, token: string): Promise<void> {
    await this.request('DELETE', `/domains/${endpoint.domainId}/endpoints/${endpoint.endpointId}/tokens/${token}`);
  }

  async setEnabled(endpoint: ProvisionedEndpoint, enabled: boolean): Promise<void> {
    await this.request('POST', `/domains/${endpoint.domainId}/endpoints/${endpoint.endpointId}`, { enabled });
  }

  /** Orders one local number (area code 919 in the seeded inventory) onto the application. */
  async orderNumber(applicationId: string, index = 0): Promise<string> {
    const { json } = await this.request('GET', '/v1/availableNumbers/local?areaCode=919&quantity=10');
    const number: string = json[index].number;
    await this.request('POST', '/phoneNumbers', { number, applicationId });
    return number;
  }

  async registrations(): Promise<Array<{ aor: string; contact: string; kind: string; expires: number }>> {
    const response = await fetch(`${this.sandbox.baseUrl}/sandbox/registrations`);
    return (await response.json()) as Array<{ aor: string; contact: string; kind: string; expires: number }>;
  }
}
