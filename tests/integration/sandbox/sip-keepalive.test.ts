// WebSocket keepalive of the SIP side (RFC 7118 uses ping/pong, not CRLF): a client that stops answering pings
// (a dead tab) is disconnected and loses its bindings; a live one keeps them. attachSip runs on a bare http.Server
// with fakes of the router, Directory and CallNetwork, as the server composes it.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import WebSocket from 'ws';
import type { CallNetwork } from '../../../sandbox/calls/network';
import type { RouteHandler, SandboxContext } from '../../../sandbox/context';
import { attachSip, type SipModule } from '../../../sandbox/sip/index';

let server: Server;
let sip: SipModule;
let baseUrl: string;
const routes = new Map<string, RouteHandler>();

before(async () => {
  server = createServer((_req, res) => res.writeHead(404).end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const ctx: SandboxContext = {
    baseUrl,
    router: { add: (method, pattern, handler) => void routes.set(`${method} ${pattern}`, handler) },
    directory: {
      findNumber: () => undefined,
      getApplication: () => undefined,
      findEndpoint: () => undefined,
      findEndpointByToken: () => undefined,
      getAccount: () => undefined,
    },
    now: Date.now,
    log: () => {},
  };
  const network: CallNetwork = {
    originate: () => {
      throw new Error('not used');
    },
    addRinger: () => {},
  };
  sip = attachSip({ ctx, network, server, pingIntervalMs: 100 });
});

after(async () => {
  await sip.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function registerOutsidePhone(number: string, options: { autoPong: boolean }): Promise<WebSocket> {
  const ws = new WebSocket(`${baseUrl.replace('http', 'ws')}/sip`, 'sip', { autoPong: options.autoPong });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const host = `${number.slice(1)}.invalid`;
  const reply = new Promise<string>((resolve) =>
    ws.once('message', (data) => resolve((data as Buffer).toString('utf8'))),
  );
  ws.send(
    [
      'REGISTER sip:pstn.sandbox.invalid SIP/2.0',
      `Via: SIP/2.0/WS ${host};branch=z9hG4bK${number.slice(1)}`,
      'Max-Forwards: 70',
      `To: <sip:${number}@pstn.sandbox.invalid>`,
      `From: <sip:${number}@pstn.sandbox.invalid>;tag=1`,
      `Call-ID: reg-${number}`,
      'CSeq: 1 REGISTER',
      `Contact: <sip:p@${host};transport=ws>;expires=600`,
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n'),
  );
  assert.match(await reply, /^SIP\/2\.0 200 OK\r\n/);
  return ws;
}

const registrations = async () =>
  (await routes.get('GET /sandbox/registrations')!({} as never)).body as Array<{ aor: string; kind: string }>;

test(
  'a client that stops answering pings is closed and unregistered; a live client stays',
  { timeout: 5000 },
  async () => {
    const live = await registerOutsidePhone('+13125550001', { autoPong: true });
    const dead = await registerOutsidePhone('+13125550002', { autoPong: false });
    assert.deepEqual((await registrations()).map((r) => r.aor).sort(), [
      'sip:+13125550001@pstn.sandbox.invalid',
      'sip:+13125550002@pstn.sandbox.invalid',
    ]);
    const closed = new Promise<void>((resolve) => dead.once('close', () => resolve()));
    await closed; // two missed pings at most: ~200–300 ms
    // The server side sees its own close a moment later; poll briefly.
    const deadline = Date.now() + 2000;
    while ((await registrations()).length > 1 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(
      (await registrations()).map((r) => r.aor),
      ['sip:+13125550001@pstn.sandbox.invalid'],
    );
    assert.equal(live.readyState, WebSocket.OPEN);
    live.close();
  },
);

test('the phone page routes are mounted with the SIP side', () => {
  assert.ok(routes.has('GET /sandbox/phone'));
  assert.ok(routes.has('GET /sandbox/phone/phone.js'));
});
