// Calls through the sandbox's /sip WebSocket with a raw SIP client (no browser, no media): INVITE auth (407 digest,
// X-Callsign-Token), rejections from the call model, SDP passed end to end, BYE across the bridge, and a CANCEL that
// arrives while the app's webhook is still deciding.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { createSandbox, type Sandbox } from '../../../sandbox/server';
import {
  getHeader,
  parseSipMessage,
  serializeSipMessage,
  type SipMessage,
  type SipRequest,
  type SipResponse,
} from '../../../sandbox/sip/sip-message';
import { SandboxApi, type ProvisionedEndpoint } from './sip-fixtures';

/** A minimal SIP-over-WebSocket UA: enough to script exact messages and see exactly what comes back. */
class RawSipClient {
  readonly host = `${Math.random().toString(36).slice(2, 10)}.invalid`;
  readonly received: SipMessage[] = [];
  private seq = 1;
  private waiters: Array<() => void> = [];
  private constructor(
    private readonly ws: WebSocket,
    readonly aor: string,
    private readonly token?: string,
  ) {
    ws.on('message', (data) => {
      this.received.push(parseSipMessage((data as Buffer).toString('utf8')));
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  static async connect(sandbox: Sandbox, aor: string, token?: string): Promise<RawSipClient> {
    const ws = new WebSocket(sandbox.websocketUrl, 'sip');
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    return new RawSipClient(ws, aor, token);
  }

  get contact() {
    return `<sip:raw@${this.host};transport=ws>`;
  }

  request(
    method: string,
    uri: string,
    options: {
      callId?: string;
      branch?: string;
      toTag?: string;
      body?: string;
      extra?: string[];
      seq?: number;
      fromTag?: string;
    } = {},
  ): SipRequest {
    const lines = [
      `${method} ${uri} SIP/2.0`,
      `Via: SIP/2.0/WS ${this.host};branch=${options.branch ?? `z9hG4bK${Math.random().toString(36).slice(2)}`}`,
      'Max-Forwards: 70',
      `From: <${this.aor}>;tag=${options.fromTag ?? 'ft'}`,
      `To: <${method === 'REGISTER' ? this.aor : uri}>${options.toTag ? `;tag=${options.toTag}` : ''}`,
      `Call-ID: ${options.callId ?? Math.random().toString(36).slice(2)}`,
      `CSeq: ${options.seq ?? this.seq++} ${method}`,
      `Contact: ${this.contact}`,
      ...(this.token ? [`X-Callsign-Token: ${this.token}`] : []),
      ...(options.extra ?? []),
      ...(options.body ? ['Content-Type: application/sdp'] : []),
    ];
    const message = parseSipMessage(`${lines.join('\r\n')}\r\n\r\n${options.body ?? ''}`) as SipRequest;
    this.ws.send(serializeSipMessage(message));
    return message;
  }

  respond(to: SipRequest, status: number, options: { toTag?: string; body?: string } = {}): void {
    const copy = ['Via', 'From', 'Call-ID', 'CSeq'].map((name) => `${name}: ${getHeader(to, name)}`);
    const text = [
      `SIP/2.0 ${status} X`,
      ...copy,
      `To: ${getHeader(to, 'To')}${options.toTag ? `;tag=${options.toTag}` : ''}`,
      `Contact: ${this.contact}`,
      ...(options.body ? ['Content-Type: application/sdp'] : []),
    ].join('\r\n');
    this.ws.send(`${text}\r\nContent-Length: ${Buffer.byteLength(options.body ?? '')}\r\n\r\n${options.body ?? ''}`);
  }

  async next<T extends SipMessage>(match: (m: SipMessage) => boolean, timeoutMs = 5000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.find(match);
      if (found) {
        this.received.splice(this.received.indexOf(found), 1);
        return found as T;
      }
      if (Date.now() > deadline)
        throw new Error(`no matching SIP message; have ${this.received.map(describeMessage).join(', ')}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  async register(): Promise<SipResponse> {
    const callId = `reg-${this.host}`;
    this.request('REGISTER', `sip:${this.aor.split('@')[1]}`, { callId, extra: ['Expires: 600'] });
    return this.next<SipResponse>((m) => m.kind === 'response' && getHeader(m, 'Call-ID') === callId);
  }

  close(): void {
    this.ws.close();
  }
}

const describeMessage = (m: SipMessage) => (m.kind === 'response' ? `${m.status} ${getHeader(m, 'CSeq')}` : m.method);
const isResponse = (status: number, callId?: string) => (m: SipMessage) =>
  m.kind === 'response' && m.status === status && (callId === undefined || getHeader(m, 'Call-ID') === callId);
const isRequest = (method: string) => (m: SipMessage) => m.kind === 'request' && m.method === method;
const SDP_A = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=A\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\n';
const SDP_B = 'v=0\r\no=- 2 2 IN IP4 127.0.0.1\r\ns=B\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\n';

describe('sandbox SIP calls with a raw SIP client', { timeout: 30_000 }, () => {
  let sandbox: Sandbox;
  let api: SandboxApi;
  let webhook: Server;
  let webhookDelayMs = 0;
  let alice: ProvisionedEndpoint;
  let bob: ProvisionedEndpoint;
  let bobNumber: string;
  let orphan: ProvisionedEndpoint;
  const clients: RawSipClient[] = [];
  const connect = async (aor: string, token?: string) => {
    const client = await RawSipClient.connect(sandbox, aor, token);
    clients.push(client);
    return client;
  };
  const calls = async () => (await (await fetch(`${sandbox.baseUrl}/sandbox/calls`)).json()) as any[];

  before(async () => {
    sandbox = await createSandbox();
    api = new SandboxApi(sandbox);
    // The app's rule for this test: a call to bob's number goes to bob's endpoint (after webhookDelayMs).
    webhook = createServer((req, res) => {
      let raw = '';
      req
        .on('data', (c) => (raw += c))
        .on('end', () => {
          res.writeHead(200).end();
          const event = JSON.parse(raw || '{}');
          if (event.eventType !== 'answer' || event.to !== bobNumber) return;
          setTimeout(() => {
            api
              .request('POST', `/calls/${event.callId}`, {
                state: 'transferring',
                transferTo: bob.sipUri,
                transferCallerId: event.to,
              })
              .catch(() => {});
          }, webhookDelayMs);
        });
    });
    await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve));
    const applicationId = await api.createApplication(`http://127.0.0.1:${(webhook.address() as AddressInfo).port}/`);
    const domainId = await api.createDomain('sipcalltests');
    alice = await api.createEndpoint(domainId, 'alice', { applicationId });
    bob = await api.createEndpoint(domainId, 'bob', { applicationId });
    orphan = await api.createEndpoint(domainId, 'orphan');
    bobNumber = await api.orderNumber(applicationId);
  });

  after(async () => {
    for (const client of clients) client.close();
    await sandbox.close();
    webhook.close();
  });

  test('the WebSocket handshake must offer the "sip" subprotocol', async () => {
    const ws = new WebSocket(sandbox.websocketUrl);
    const status = await new Promise<number | undefined>((resolve) => {
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode));
      ws.once('open', () => resolve(101));
      ws.once('error', () => resolve(undefined));
    });
    assert.equal(status, 400);
  });

  test('INVITE without credentials is challenged with 407; a wrong token is 403; an endpoint without application is 403', async () => {
    const anonymous = await connect(alice.sipUri);
    const invite = anonymous.request('INVITE', `sip:${bobNumber}@${alice.realm}`, { body: SDP_A, callId: 'no-auth' });
    const challenge = await anonymous.next<SipResponse>(isResponse(407, 'no-auth'));
    assert.match(getHeader(challenge, 'Proxy-Authenticate')!, new RegExp(`^Digest realm="${alice.realm}"`));
    assert.equal(getHeader(challenge, 'CSeq'), getHeader(invite, 'CSeq'));

    const forged = await connect(alice.sipUri, 'not-a-token');
    forged.request('INVITE', `sip:${bobNumber}@${alice.realm}`, { body: SDP_A, callId: 'bad-token' });
    await forged.next(isResponse(403, 'bad-token'));

    const lonely = await connect(orphan.sipUri, await api.createToken(orphan));
    lonely.request('INVITE', `sip:${bobNumber}@${alice.realm}`, { body: SDP_A, callId: 'no-app' });
    await lonely.next(isResponse(100, 'no-app'));
    await lonely.next(isResponse(403, 'no-app'));
  });

  test('token-authenticated call to a number: SDP passes end to end, BYE crosses the bridge', async () => {
    const b = await connect(bob.sipUri, await api.createToken(bob));
    assert.equal((await b.register()).status, 200);
    const a = await connect(alice.sipUri, await api.createToken(alice));
    a.request('INVITE', `sip:${bobNumber}@${alice.realm}`, { body: SDP_A, callId: 'a-to-b', fromTag: 'atag' });
    await a.next(isResponse(100, 'a-to-b'));
    const incoming = await b.next<SipRequest>(isRequest('INVITE'));
    assert.equal(incoming.uri, `sip:raw@${b.host};transport=ws`, 'Request-URI is the registered Contact');
    assert.equal(incoming.body, SDP_A, 'the offer arrives unchanged');
    assert.match(
      getHeader(incoming, 'From')!,
      new RegExp(`<sip:\\${bobNumber}@`),
      'caller id as the app set it (transferCallerId)',
    );
    const catapultLeg = getHeader(incoming, 'X-Sandbox-Call-Id');
    assert.match(catapultLeg ?? '', /^c-/);

    b.respond(incoming, 180, { toTag: 'btag' });
    b.respond(incoming, 200, { toTag: 'btag', body: SDP_B });
    const ackToB = await b.next<SipRequest>(isRequest('ACK'));
    assert.equal(getHeader(ackToB, 'CSeq'), '1 ACK');
    const answer = await a.next<SipResponse>(isResponse(200, 'a-to-b'));
    assert.equal(answer.body, SDP_B, 'the answer arrives unchanged');
    const aToTag = /tag=([^;]+)/.exec(getHeader(answer, 'To')!)![1];
    a.request('ACK', 'sip:sandbox@x', { callId: 'a-to-b', toTag: aToTag, fromTag: 'atag', seq: 1 });

    const legs = await calls();
    const inbound = legs.find((c) => c.from === alice.sipUri && c.to === bobNumber);
    assert.equal(inbound?.state, 'active');
    assert.equal(legs.find((c) => c.id === catapultLeg)?.bridgedCallId, inbound.id);

    a.request('BYE', 'sip:sandbox@x', { callId: 'a-to-b', toTag: aToTag, fromTag: 'atag' });
    await a.next(isResponse(200, 'a-to-b'));
    const byeToB = await b.next<SipRequest>(isRequest('BYE'));
    assert.equal(getHeader(byeToB, 'Call-ID'), getHeader(incoming, 'Call-ID'));
    b.respond(byeToB, 200);
    const ended = (await calls()).find((c) => c.id === inbound.id);
    assert.equal(ended.state, 'completed');
  });

  test('two clients registered on one endpoint ring together; the first to answer wins, the other gets CANCEL', async () => {
    const first = await connect(bob.sipUri, await api.createToken(bob));
    const second = await connect(bob.sipUri, await api.createToken(bob));
    await first.register();
    await second.register();
    const a = await connect(alice.sipUri, await api.createToken(alice));
    a.request('INVITE', `sip:${bobNumber}@${alice.realm}`, { body: SDP_A, callId: 'fork', fromTag: 'ftag' });
    const [inviteOne, inviteTwo] = await Promise.all([
      first.next<SipRequest>(isRequest('INVITE')),
      second.next<SipRequest>(isRequest('INVITE')),
    ]);
    first.respond(inviteOne, 180, { toTag: 'one' });
    second.respond(inviteTwo, 180, { toTag: 'two' });
    second.respond(inviteTwo, 200, { toTag: 'two', body: SDP_B });
    await second.next(isRequest('ACK'));
    const cancel = await first.next<SipRequest>(isRequest('CANCEL'));
    assert.equal(getHeader(cancel, 'Via'), getHeader(inviteOne, 'Via'), 'CANCEL matches the INVITE transaction');
    first.respond(cancel, 200);
    first.respond(inviteOne, 487, { toTag: 'one' });
    await first.next(isRequest('ACK'));
    const answer = await a.next<SipResponse>(isResponse(200, 'fork'));
    assert.equal(answer.body, SDP_B);
    const toTag = /tag=([^;]+)/.exec(getHeader(answer, 'To')!)![1];
    a.request('ACK', 'sip:sandbox@x', { callId: 'fork', toTag, fromTag: 'ftag', seq: 1 });
    a.request('BYE', 'sip:sandbox@x', { callId: 'fork', toTag, fromTag: 'ftag' });
    await second.next(isRequest('BYE'));
    assert.equal(first.received.filter((m) => m.kind === 'request' && m.method === 'BYE').length, 0);
    first.close();
    second.close();
  });

  test("CANCEL while the app's webhook is slow: 200 + 487, the leg completes, and the callee never rings", async () => {
    webhookDelayMs = 600;
    try {
      const b = await connect(bob.sipUri, await api.createToken(bob));
      await b.register();
      const a = await connect(alice.sipUri, await api.createToken(alice));
      const invite = a.request('INVITE', `sip:${bobNumber}@${alice.realm}`, {
        body: SDP_A,
        callId: 'slow',
        branch: 'z9hG4bKslow',
      });
      await a.next(isResponse(100, 'slow'));
      a.request('CANCEL', invite.uri, {
        callId: 'slow',
        branch: 'z9hG4bKslow',
        seq: Number(getHeader(invite, 'CSeq')!.split(' ')[0]),
      });
      await a.next(isResponse(200, 'slow'));
      await a.next(isResponse(487, 'slow'));
      await new Promise((resolve) => setTimeout(resolve, 900)); // the webhook's late transfer attempt happens here
      // Catapult had already answered the leg (autoAnswer), so the model ends it as a plain hang-up; the late
      // transfer finds it completed and creates no outbound leg.
      const leg = (await calls()).find(
        (c) => c.from === alice.sipUri && c.to === bobNumber && c.transferredToCallId === null,
      );
      assert.equal(leg?.state, 'completed');
      assert.equal(leg?.cause, 'NORMAL_CLEARING');
      assert.equal(b.received.filter((m) => m.kind === 'request' && m.method === 'INVITE').length, 0);
    } finally {
      webhookDelayMs = 0;
    }
  });

  test('garbage frames are dropped without closing the connection; out-of-dialog OPTIONS is answered', async () => {
    const a = await connect(alice.sipUri);
    (a as unknown as { ws: WebSocket }).ws.send('HELLO this is not SIP');
    a.request('OPTIONS', `sip:${alice.realm}`, { callId: 'probe' });
    await a.next(isResponse(200, 'probe'));
    a.request('BYE', `sip:${alice.realm}`, { callId: 'stray', toTag: 'nope' });
    await a.next(isResponse(481, 'stray'));
  });
});
