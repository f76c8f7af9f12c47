// Shared by the Bandwidth sandbox tests: an in-process sandbox with platform 'bandwidth' on port 0, token and
// request helpers for the Numbers API (XML), the Voice API (JSON) and the control API, and `provision()`, which
// sets an account up as the app will: a Voice-V2 application, a site, a location linked to it, a number.
import { createSandbox, type BandwidthSandbox } from '../../../../sandbox/server';
import type { BandwidthOptions, ObservedRequest } from '../../../../sandbox/bandwidth/bandwidth-options';
import { validateVoiceRequest, assertVoiceResponse } from '../../../support/bandwidth-openapi';

export interface BwReply {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

export interface BwHarness {
  sandbox: BandwidthSandbox;
  accountId: string;
  /** Every OAuth, Numbers and Voice API request the sandbox received (its `observeRequest` hook). */
  observed: ObservedRequest[];
  /** A fresh access token of the account ('account') or In-App Calling ('webrtc') credential. */
  token(role?: 'account' | 'webrtc'): Promise<string>;
  numbers(method: string, path: string, xml?: string, token?: string): Promise<BwReply>;
  /**
   * A Voice API request. Its body (as the sandbox received it) and the answer are checked against bandwidth.yml:
   * a mismatch throws, so every Voice API exchange of these tests is one the spec allows.
   */
  voice(method: string, path: string, body?: unknown, token?: string): Promise<BwReply>;
  control(method: string, path: string, body?: unknown): Promise<BwReply>;
  provision(input: {
    callbackUrl: string;
    statusUrl?: string;
    userId?: string;
    password?: string;
  }): Promise<Provisioned>;
  close(): Promise<void>;
}

export interface Provisioned {
  applicationId: string;
  siteId: string;
  peerId: string;
  number: string; // E.164
}

export async function startBandwidth(
  options: { now?: () => number; bandwidth?: BandwidthOptions; seed?: string } = {},
): Promise<BwHarness> {
  const observed: ObservedRequest[] = [];
  const sandbox = await createSandbox({
    platform: 'bandwidth',
    seed: options.seed ?? 'bandwidth-tests',
    bandwidth: {
      orderDelayMs: 20,
      disconnectDelayMs: 20,
      ...options.bandwidth,
      observeRequest: (request) => {
        observed.push(request);
        options.bandwidth?.observeRequest?.(request);
      },
    },
    ...(options.now ? { now: options.now } : {}),
  });
  const surface = sandbox.bandwidth;
  const cached: Partial<Record<'account' | 'webrtc', string>> = {};

  const token = async (role: 'account' | 'webrtc' = 'account') => {
    // Each credential at the URL the app uses for it (BANDWIDTH_OAUTH_URL / BANDWIDTH_WEBRTC_OAUTH_URL).
    const [id, secret, url] =
      role === 'account'
        ? [surface.clientId, surface.clientSecret, surface.oauthUrl]
        : [surface.webrtcClientId, surface.webrtcClientSecret, surface.webrtcOauthUrl];
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    if (response.status !== 200) throw new Error(`token request failed: ${response.status}`);
    const body = (await response.json()) as { access_token: string };
    return body.access_token;
  };
  const bearer = async (given?: string) => given ?? (cached.account ??= await token('account'));
  const reply = async (response: Response): Promise<BwReply> => {
    const text = await response.text();
    let json: any;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, text, json };
  };
  const harness: BwHarness = {
    sandbox,
    accountId: surface.accountId,
    observed,
    token,
    async numbers(method, path, xml, given) {
      return reply(
        await fetch(`${surface.apiUrl}/api/accounts/${surface.accountId}${path}`, {
          method,
          headers: {
            Authorization: `Bearer ${await bearer(given)}`,
            ...(xml === undefined ? {} : { 'Content-Type': 'application/xml' }),
          },
          ...(xml === undefined ? {} : { body: xml }),
        }),
      );
    },
    async voice(method, path, body, given) {
      const fullPath = `/api/v2/accounts/${surface.accountId}${path}`;
      const seen = observed.length;
      const answer = await reply(
        await fetch(`${surface.voiceUrl}${fullPath}`, {
          method,
          headers: {
            Authorization: `Bearer ${await bearer(given)}`,
            ...(body === undefined
              ? {}
              : { 'Content-Type': typeof body === 'string' ? 'application/xml' : 'application/json' }),
          },
          ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
        }),
      );
      // The request as it arrived (a request refused before its route, e.g. a bad token, is not observed).
      for (const request of observed.slice(seen).filter((r) => r.api === 'voice' && r.path === fullPath)) {
        const sent =
          request.body === ''
            ? undefined
            : /json/.test(request.contentType ?? '')
              ? JSON.parse(request.body)
              : request.body;
        const check = validateVoiceRequest(request.method, request.path, sent);
        if (!check.valid)
          throw new Error(`${method} ${fullPath} sent a body bandwidth.yml rejects: ${check.errors.join('; ')}`);
      }
      assertVoiceResponse(method, fullPath, answer.status, answer.json);
      return answer;
    },
    async control(method, path, body) {
      return reply(
        await fetch(`${sandbox.baseUrl}/sandbox/bandwidth${path}`, {
          method,
          ...(body === undefined
            ? {}
            : { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }),
        }),
      );
    },
    async provision(input) {
      const app = await harness.numbers(
        'POST',
        '/applications',
        `<Application><ServiceType>Voice-V2</ServiceType><AppName>test app</AppName>` +
          `<CallInitiatedCallbackUrl>${input.callbackUrl}</CallInitiatedCallbackUrl><CallInitiatedMethod>POST</CallInitiatedMethod>` +
          `<CallStatusCallbackUrl>${input.statusUrl ?? input.callbackUrl}</CallStatusCallbackUrl><CallStatusMethod>POST</CallStatusMethod>` +
          `<CallbackCreds><UserId>${input.userId ?? 'hook-user'}</UserId><Password>${input.password ?? 'hook-password'}</Password></CallbackCreds></Application>`,
      );
      const applicationId = /<ApplicationId>([^<]+)</.exec(app.text)![1]!;
      const site = await harness.numbers('POST', '/sites', '<Site><Name>test site</Name></Site>');
      const siteId = /<Id>([^<]+)</.exec(site.text)![1]!;
      const peer = await harness.numbers(
        'POST',
        `/sites/${siteId}/sippeers`,
        '<SipPeer><PeerName>test location</PeerName><IsDefaultPeer>true</IsDefaultPeer></SipPeer>',
      );
      const peerId = /<PeerId>([^<]+)</.exec(peer.text)![1]!;
      await harness.numbers(
        'POST',
        `/sites/${siteId}/sippeers/${peerId}/products/origination/settings`,
        `<SipPeerOriginationSettings><VoiceProtocol>HTTP</VoiceProtocol><HttpSettings><HttpVoiceV2AppId>${applicationId}</HttpVoiceV2AppId></HttpSettings></SipPeerOriginationSettings>`,
      );
      const search = await harness.numbers('GET', '/availableNumbers?areaCode=919&quantity=1');
      const tn = /<TelephoneNumber>(\d{10})</.exec(search.text)![1]!;
      const order = await harness.numbers(
        'POST',
        '/orders',
        `<Order><SiteId>${siteId}</SiteId><PeerId>${peerId}</PeerId><ExistingTelephoneNumberOrderType><TelephoneNumberList><TelephoneNumber>${tn}</TelephoneNumber></TelephoneNumberList></ExistingTelephoneNumberOrderType></Order>`,
      );
      if (order.status !== 201) throw new Error(`order failed: ${order.status} ${order.text}`);
      await harness.control('POST', '/orders/settle');
      return { applicationId, siteId, peerId, number: `+1${tn}` };
    },
    close: () => sandbox.close(),
  };
  return harness;
}

/** Every element path of an XML document (`A/B/C`), ignoring text, attributes, comments and order. */
export function xmlPaths(xml: string): Set<string> {
  const paths = new Set<string>();
  const stack: string[] = [];
  const tags = xml
    .replace(/<\?[^>]*\?>/g, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .matchAll(/<(\/?)([A-Za-z_][\w.-]*)[^>]*?(\/?)>/g);
  for (const [, closing, name, selfClosing] of tags) {
    if (closing) {
      stack.pop();
      continue;
    }
    stack.push(name!);
    paths.add(stack.join('/'));
    if (selfClosing) stack.pop();
  }
  return paths;
}
