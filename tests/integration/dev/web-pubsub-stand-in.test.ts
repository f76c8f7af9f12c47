// The local Web PubSub stand-in against Microsoft's own SDK (@azure/web-pubsub) as the oracle: what the SDK
// signs and sends, the stand-in accepts and delivers; what it must refuse (wrong key, wrong audience, expired,
// no api-version, a subprotocol it does not speak), it refuses with the documented status.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { WebPubSubServiceClient } from '@azure/web-pubsub';
import WebSocket from 'ws';
import { startWebPubSub, type WebPubSubStandIn } from '../../../dev/web-pubsub/server';

const HUB = 'calls';

function sign(claims: Record<string, unknown>, key: string): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}`;
  return `${unsigned}.${createHmac('sha256', key).update(unsigned).digest('base64url')}`;
}

interface OpenClient {
  socket: WebSocket;
  messages: Array<{ text: string; binary: boolean }>;
  closed: Promise<number>;
}

function connect(url: string, protocols?: string[]): Promise<OpenClient> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, protocols);
    const messages: OpenClient['messages'] = [];
    const closed = new Promise<number>((done) => socket.on('close', (code) => done(code)));
    socket.on('message', (data: Buffer, binary) => messages.push({ text: data.toString('utf8'), binary }));
    socket.once('open', () => resolve({ socket, messages, closed }));
    socket.once('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
    socket.once('error', reject);
  });
}

async function until<T>(probe: () => T | undefined, what: string): Promise<T> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('Web PubSub stand-in (with the official SDK as the oracle)', { timeout: 30_000 }, () => {
  let standIn: WebPubSubStandIn;
  let service: WebPubSubServiceClient;

  before(async () => {
    standIn = await startWebPubSub();
    // Plain http on loopback: the SDK sends nothing over http unless told it may.
    service = new WebPubSubServiceClient(standIn.connectionString, HUB, { allowInsecureConnection: true });
  });
  after(async () => {
    await standIn?.close();
  });

  it('binds 127.0.0.1 on an ephemeral port and gives a connection string of the real form', () => {
    assert.match(standIn.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(standIn.connectionString, `Endpoint=${standIn.endpoint};AccessKey=${standIn.accessKey};Version=1.0;`);
  });

  it('delivers sendToUser JSON to every connection of that user, and to no one else', async () => {
    const aliceUrl = (await service.getClientAccessToken({ userId: 'alice' })).url;
    assert.ok(aliceUrl.startsWith(`${standIn.endpoint.replace('http', 'ws')}/client/hubs/${HUB}?access_token=`));
    const [tab1, tab2, bob] = await Promise.all([
      connect(aliceUrl),
      connect(aliceUrl),
      connect((await service.getClientAccessToken({ userId: 'bob' })).url),
    ]);
    assert.equal(standIn.connectionCount(HUB, 'alice'), 2);

    await service.sendToUser('alice', { type: 'incoming-call', callId: 'c-1' });
    for (const tab of [tab1, tab2]) {
      const message = await until(() => tab.messages[0], 'the message');
      assert.deepEqual(JSON.parse(message.text), { type: 'incoming-call', callId: 'c-1' });
      assert.equal(message.binary, false, 'JSON arrives as a text frame');
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(bob.messages.length, 0);
    assert.equal(standIn.deliveries.at(-1)?.connections, 2);
    for (const client of [tab1, tab2, bob]) client.socket.close();
  });

  it('answers 202 to a send for a user with no connection, and records it as reaching nobody', async () => {
    await service.sendToUser('nobody', { type: 'call-ended', callId: 'c-2' });
    assert.deepEqual(standIn.deliveries.at(-1), {
      hub: HUB,
      userId: 'nobody',
      contentType: 'application/json',
      body: '{"type":"call-ended","callId":"c-2"}',
      connections: 0,
    });
  });

  it('sends plain text as text and octet-stream as binary frames', async () => {
    const client = await connect((await service.getClientAccessToken({ userId: 'carol' })).url);
    await service.sendToUser('carol', 'hello', { contentType: 'text/plain' });
    await service.sendToUser('carol', new Uint8Array([1, 2, 3]));
    await until(() => client.messages[1], 'two messages');
    assert.deepEqual(client.messages[0], { text: 'hello', binary: false });
    assert.equal(client.messages[1]!.binary, true);
    client.socket.close();
  });

  it('keeps hubs apart', async () => {
    const other = new WebPubSubServiceClient(standIn.connectionString, 'other', { allowInsecureConnection: true });
    const client = await connect((await other.getClientAccessToken({ userId: 'dave' })).url);
    await service.sendToUser('dave', { hub: 'calls' });
    await other.sendToUser('dave', { hub: 'other' });
    const message = await until(() => client.messages[0], 'the message');
    assert.deepEqual(JSON.parse(message.text), { hub: 'other' });
    client.socket.close();
  });

  it('refuses a client whose token is signed with another key, names another hub, has expired or is missing', async () => {
    const base = `${standIn.endpoint.replace('http', 'ws')}/client/hubs/${HUB}`;
    const aud = `${standIn.endpoint}/client/hubs/${HUB}`;
    const exp = Math.floor(Date.now() / 1000) + 60;
    const cases = {
      'another key': sign({ aud, exp, sub: 'eve' }, 'not-the-key'),
      'another hub': sign({ aud: `${standIn.endpoint}/client/hubs/other`, exp, sub: 'eve' }, standIn.accessKey),
      'the ws:// form as audience': sign({ aud: base, exp, sub: 'eve' }, standIn.accessKey),
      expired: sign({ aud, exp: exp - 120, sub: 'eve' }, standIn.accessKey),
    };
    for (const [name, token] of Object.entries(cases)) {
      await assert.rejects(connect(`${base}?access_token=${token}`), /HTTP 401/, name);
    }
    await assert.rejects(connect(base), /HTTP 401/, 'no token');
    assert.equal(standIn.connectionCount(HUB, 'eve'), 0);
  });

  it('takes the token from an Authorization header too, and refuses subprotocols it does not speak', async () => {
    const { token, baseUrl } = await service.getClientAccessToken({ userId: 'frank' });
    const socket = new WebSocket(baseUrl, { headers: { Authorization: `Bearer ${token}` } });
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    assert.equal(standIn.connectionCount(HUB, 'frank'), 1);
    socket.close();
    const url = (await service.getClientAccessToken({ userId: 'frank' })).url;
    await assert.rejects(connect(url, ['json.webpubsub.azure.v1']), /HTTP 400/);
  });

  it('refuses REST calls signed with another key or for another URL, and without api-version', async () => {
    const url = `${standIn.endpoint}/api/hubs/${HUB}/users/alice/:send?api-version=2024-01-01`;
    const exp = Math.floor(Date.now() / 1000) + 60;
    const post = (target: string, token: string) =>
      fetch(target, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: '{}',
      });
    assert.equal((await post(url, sign({ aud: url, exp }, 'wrong'))).status, 401);
    const forOtherUser = url.replace('/alice/', '/bob/');
    assert.equal((await post(url, sign({ aud: forOtherUser, exp }, standIn.accessKey))).status, 401);
    const noVersion = url.replace(/\?.*$/, '');
    const response = await post(noVersion, sign({ aud: noVersion, exp }, standIn.accessKey));
    assert.equal(response.status, 400);
    assert.equal(response.headers.get('x-ms-error-code'), 'InvalidApiVersion');
    assert.equal((await fetch(`${standIn.endpoint}/api/other`)).status, 404);
  });

  it('fails the next sends with an injected status, delivering nothing, then recovers', async () => {
    const client = await connect((await service.getClientAccessToken({ userId: 'gina' })).url);
    const noRetries = new WebPubSubServiceClient(standIn.connectionString, HUB, {
      allowInsecureConnection: true,
      retryOptions: { maxRetries: 0 },
    });
    standIn.failSends({ status: 503, count: 1 });
    await assert.rejects(noRetries.sendToUser('gina', { n: 1 }), (error: Error & { statusCode?: number }) => {
      assert.equal(error.statusCode, 503);
      return true;
    });
    assert.equal(client.messages.length, 0);
    await service.sendToUser('gina', { n: 2 });
    const message = await until(() => client.messages[0], 'the message');
    assert.deepEqual(JSON.parse(message.text), { n: 2 });
    client.socket.close();
  });

  it('drops a user’s connections like a network failure (abnormal close)', async () => {
    const client = await connect((await service.getClientAccessToken({ userId: 'hank' })).url);
    assert.equal(standIn.dropConnections({ hub: HUB, userId: 'hank' }), 1);
    assert.equal(await client.closed, 1006);
    assert.equal(standIn.connectionCount(HUB, 'hank'), 0);
  });
});
