// The notifier against the local Web PubSub stand-in over real sockets: a dialpad connects with the URL the
// notifier signs, receives what is sent to its user as one JSON text frame, and nothing meant for another user;
// a service that fails is reported, not hidden.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import WebSocket from 'ws';
import type { CallNotification } from '../../../core/api-types';
import { noopLogger } from '../../../core/log';
import { createWebPubSubNotifier, NotificationSendError } from '../../../core/notifications/web-pubsub-notifier';
import type { UserNotifier } from '../../../core/notifications/user-notifier';
import { startWebPubSub, type WebPubSubStandIn } from '../../../dev/web-pubsub/server';

let standIn: WebPubSubStandIn;
let notifier: UserNotifier;

before(async () => {
  standIn = await startWebPubSub();
  notifier = createWebPubSubNotifier({
    endpoint: standIn.endpoint,
    accessKey: standIn.accessKey,
    hub: 'calls',
    logger: noopLogger,
    sleep: async () => undefined,
  });
});
after(() => standIn.close());

async function connect(username: string): Promise<{ socket: WebSocket; frames: string[] }> {
  const { url } = await notifier.clientAccess(username);
  const socket = new WebSocket(url);
  const frames: string[] = [];
  socket.on('message', (data, isBinary) => {
    assert.equal(isBinary, false);
    frames.push(Buffer.from(data as Buffer).toString('utf8'));
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return { socket, frames };
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
  assert.ok(condition(), 'timed out');
}

test('each of a user’s dialpads gets the message as one JSON text frame; other users get nothing', async () => {
  const first = await connect('alice');
  const second = await connect('alice');
  const other = await connect('bob');
  const message: CallNotification = { type: 'call-ended', callId: 'c-42' };
  await notifier.send('alice', message);
  await until(() => first.frames.length === 1 && second.frames.length === 1);
  assert.deepEqual(JSON.parse(first.frames[0]!), message);
  assert.deepEqual(JSON.parse(second.frames[0]!), message);
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(other.frames.length, 0);
  for (const c of [first, second, other]) c.socket.close();
});

test('a user with no dialpad open: the send succeeds and reaches nobody', async () => {
  await notifier.send('nobody-here', { type: 'call-ended', callId: 'c-43' });
  const delivery = standIn.deliveries.find((d) => d.userId === 'nobody-here');
  assert.equal(delivery?.connections, 0);
});

test('a service failing twice is reported; failing once is covered by the second attempt', async () => {
  standIn.failSends({ status: 500, count: 1 });
  await notifier.send('alice', { type: 'call-ended', callId: 'c-44' });
  standIn.failSends({ status: 500, count: 2 });
  const error = await notifier.send('alice', { type: 'call-ended', callId: 'c-45' }).catch((e: unknown) => e);
  assert.ok(error instanceof NotificationSendError && error.status === 500);
  const refused = createWebPubSubNotifier({
    endpoint: standIn.endpoint,
    accessKey: 'not-the-key',
    hub: 'calls',
    logger: noopLogger,
  });
  await assert.rejects(refused.send('alice', { type: 'call-ended', callId: 'c-46' }), /401/);
  const { url } = await refused.clientAccess('alice');
  const socket = new WebSocket(url);
  const status = await new Promise<number | undefined>((resolve) => {
    socket.once('unexpected-response', (_request, response) => resolve(response.statusCode));
    socket.once('open', () => resolve(undefined));
  });
  assert.equal(status, 401, 'a dialpad with a token of another key is refused');
});
