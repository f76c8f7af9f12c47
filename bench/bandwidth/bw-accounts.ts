// The bench's hands on the sandbox playing Bandwidth: tokens of either credential, the Numbers API (XML) to set
// up the floor's own application, location and numbers, and the control API (settings, calls).
import type { BandwidthSurface } from '../../sandbox/bandwidth/index';

export class BandwidthBenchAccount {
  private accountToken: string | undefined;

  constructor(
    readonly surface: BandwidthSurface,
    private readonly baseUrl: string,
  ) {}

  async token(role: 'account' | 'webrtc' = 'account'): Promise<string> {
    if (role === 'account' && this.accountToken) return this.accountToken;
    const [id, secret] =
      role === 'account'
        ? [this.surface.clientId, this.surface.clientSecret]
        : [this.surface.webrtcClientId, this.surface.webrtcClientSecret];
    const response = await fetch(this.surface.oauthUrl, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    if (!response.ok) throw new Error(`token for the ${role} credential: ${response.status}`);
    const token = ((await response.json()) as { access_token: string }).access_token;
    if (role === 'account') this.accountToken = token;
    return token;
  }

  /** A Numbers API request (XML); throws unless it succeeded. */
  async numbers(method: string, path: string, xml?: string): Promise<string> {
    const response = await fetch(`${this.surface.apiUrl}/api/accounts/${this.surface.accountId}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${await this.token()}`,
        ...(xml === undefined ? {} : { 'Content-Type': 'application/xml' }),
      },
      ...(xml === undefined ? {} : { body: xml }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 200)}`);
    return text;
  }

  /** A control API request (JSON) under /sandbox/bandwidth; throws unless it succeeded. */
  async control<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl}/sandbox/bandwidth${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 200)}`);
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  /** The Voice-V2 application whose numbers these are (from the sandbox's list of numbers in service). */
  async applicationOf(number: string): Promise<string> {
    const numbers = await this.control<Array<{ number: string; applicationId: string }>>('GET', '/numbers');
    const found = numbers.find((entry) => entry.number === number || `+1${entry.number}` === number);
    if (!found) throw new Error(`${number} is not in service`);
    return found.applicationId;
  }

  /**
   * The floor's own resources, as the app would set them up: a Voice-V2 application calling back `callbackUrl`
   * with Basic credentials, a site, a location linked to the application, and `count` numbers ordered into it.
   */
  async provisionFloor(input: {
    callbackUrl: string;
    user: string;
    password: string;
    areaCode: string;
    count: number;
  }): Promise<{ applicationId: string; numbers: string[] }> {
    const app = await this.numbers(
      'POST',
      '/applications',
      `<Application><ServiceType>Voice-V2</ServiceType><AppName>bench floor</AppName>` +
        `<CallInitiatedCallbackUrl>${input.callbackUrl}</CallInitiatedCallbackUrl><CallInitiatedMethod>POST</CallInitiatedMethod>` +
        `<CallStatusCallbackUrl>${input.callbackUrl}</CallStatusCallbackUrl><CallStatusMethod>POST</CallStatusMethod>` +
        `<CallbackCreds><UserId>${input.user}</UserId><Password>${input.password}</Password></CallbackCreds></Application>`,
    );
    const applicationId = /<ApplicationId>([^<]+)</.exec(app)![1]!;
    const siteId = /<Id>([^<]+)</.exec(
      await this.numbers('POST', '/sites', '<Site><Name>bench floor</Name></Site>'),
    )![1]!;
    const peer = await this.numbers(
      'POST',
      `/sites/${siteId}/sippeers`,
      '<SipPeer><PeerName>bench floor</PeerName><IsDefaultPeer>true</IsDefaultPeer></SipPeer>',
    );
    const peerId = /<PeerId>([^<]+)</.exec(peer)![1]!;
    await this.numbers(
      'POST',
      `/sites/${siteId}/sippeers/${peerId}/products/origination/settings`,
      `<SipPeerOriginationSettings><VoiceProtocol>HTTP</VoiceProtocol><HttpSettings><HttpVoiceV2AppId>${applicationId}</HttpVoiceV2AppId></HttpSettings></SipPeerOriginationSettings>`,
    );
    const search = await this.numbers('GET', `/availableNumbers?areaCode=${input.areaCode}&quantity=${input.count}`);
    const tns = [...search.matchAll(/<TelephoneNumber>(\d{10})</g)].map((match) => match[1]!);
    const list = tns.map((tn) => `<TelephoneNumber>${tn}</TelephoneNumber>`).join('');
    await this.numbers(
      'POST',
      '/orders',
      `<Order><SiteId>${siteId}</SiteId><PeerId>${peerId}</PeerId><ExistingTelephoneNumberOrderType><TelephoneNumberList>${list}</TelephoneNumberList></ExistingTelephoneNumberOrderType></Order>`,
    );
    await this.control('POST', '/orders/settle');
    return { applicationId, numbers: tns.map((tn) => `+1${tn}`) };
  }
}
