// Calls on Bandwidth through the whole stack (local host, sandbox playing Bandwidth, Web PubSub stand-in,
// Azurite), with a hand-written In-App Calling client instead of a browser: a dialpad's call out is a <Transfer>
// showing the user's number, a redelivered `initiate` is answered the same without a second history row, the
// toll-fraud guard hangs up a premium-rate call before anything is dialled, a dialpad call without its caller
// token is hung up and recorded whatever it dials, and a call to a user is parked,
// announced on the user's channel, and bridged when the user's dialpad picks it up with the pickup token.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import type { CallNotification, CallRecordView, WebRtcTokenView } from '../../../core/api-types';
import { deriveKeys } from '../../../core/crypto/derive-keys';
import { createAzureTables } from '../../../core/storage/stores';
import { startStack, type Stack } from '../../../dev/stack';
import { waitFor } from '../../e2e/support/chromium';
import { callApi } from '../../support/api-client';
import { assertCallback } from '../../support/bandwidth-openapi';
import { signUpUser, type SignedUp } from '../../support/stack-fixture';
import { connectInApp, type InAppClient } from '../sandbox/bandwidth/bw-inapp-client';

const OUTSIDE_NUMBER = '+19195550199'; // a 555 number: never in the inventory, an outside phone that answers
const OUTSIDE_CALLER = '+12125550143';

interface SandboxCall {
  id: string;
  origin: string;
  from: string;
  to: string;
  state: string;
  bridgedWith: string | null;
  callbacks: Array<{ eventType: string; payload: Record<string, unknown>; bxml?: string }>;
}

describe('calls on Bandwidth through the stack', { timeout: 120_000 }, () => {
  let stack: Stack;
  let alice: SignedUp;
  let bob: SignedUp;
  let client: InAppClient;
  let aliceView: Extract<WebRtcTokenView, { provider: 'bandwidth' }>;

  const sandboxCalls = async (): Promise<SandboxCall[]> =>
    (await (await fetch(`${stack.sandbox!.baseUrl}/sandbox/bandwidth/calls`)).json()) as SandboxCall[];
  const history = async (user: SignedUp): Promise<CallRecordView[]> =>
    (await callApi(stack.apiUrl, 'GET', '/api/me/calls', { token: user.token })).json.calls as CallRecordView[];
  const webrtcView = async (user: SignedUp) => {
    const view = (await callApi(stack.apiUrl, 'POST', '/api/me/webrtc-token', { token: user.token }))
      .json as WebRtcTokenView;
    assert.equal(view.provider, 'bandwidth');
    return view;
  };

  before(async () => {
    stack = await startStack({ provider: 'bandwidth' });
    alice = await signUpUser(stack.apiUrl);
    bob = await signUpUser(stack.apiUrl);
    aliceView = await webrtcView(alice);
    client = await connectInApp(aliceView.websocketUrl, aliceView.token);
  });
  after(async () => {
    await client?.close();
    await stack?.stop();
  });

  it('a call out is transferred showing the user’s number; a redelivered initiate gets the same answer, once in history', async () => {
    const call = await client.call(OUTSIDE_NUMBER, { uui: `${aliceView.callerToken};encoding=jwt` });
    assert.equal((await call.final).status, 200);
    const leg = await waitFor(
      async () => (await sandboxCalls()).find((c) => c.origin === 'transfer' && c.to === OUTSIDE_NUMBER),
      {
        description: 'the transfer leg',
      },
    );
    assert.equal(leg.from, alice.number, 'the far end sees alice’s number');
    await waitFor(async () => (await history(alice)).some((c) => c.peer === OUTSIDE_NUMBER && c.state === 'active'), {
      description: 'history: active',
    });

    // Bandwidth may deliver a callback again: the replay is answered as the first one was, and nothing repeats.
    const original = (await sandboxCalls()).find((c) => c.origin === 'in-app' && c.to === OUTSIDE_NUMBER)!;
    const initiate = original.callbacks.find((c) => c.eventType === 'initiate')!;
    const password = deriveKeys(stack.env.APP_SECRET!).webhookPassword;
    const replay = await fetch(`${stack.apiUrl}/api/bandwidth/callbacks/initiate`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`bandwidth:${password}`).toString('base64')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(initiate.payload),
    });
    assert.equal(replay.status, 200);
    assert.equal(await replay.text(), initiate.bxml, 'the same BXML');
    const wrong = await fetch(`${stack.apiUrl}/api/bandwidth/callbacks/initiate`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from('bandwidth:wrong').toString('base64')}` },
      body: JSON.stringify(initiate.payload),
    });
    assert.equal(wrong.status, 401, 'a callback without the CallbackCreds is refused');
    // The CallbackCreds are readable in the application's settings at Bandwidth: with them alone, a forged
    // transferComplete naming the call (no signature over it, or one for another call) changes nothing.
    for (const query of [`callId=${original.id}`, `callId=${original.id}&sig=v1.${'A'.repeat(43)}`]) {
      const forged = await fetch(`${stack.apiUrl}/api/bandwidth/callbacks/transfer?${query}`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`bandwidth:${password}`).toString('base64')}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ ...initiate.payload, eventType: 'transferComplete', cause: 'hangup' }),
      });
      assert.equal(forged.status, 401, query);
    }
    assert.equal((await history(alice)).find((c) => c.peer === OUTSIDE_NUMBER)?.state, 'active', 'still going');

    call.hangUp();
    const done = await waitFor(
      async () => (await history(alice)).find((c) => c.peer === OUTSIDE_NUMBER && c.state === 'completed'),
      { description: 'history: completed' },
    );
    assert.ok(done.answeredAt && done.endedAt);
    assert.equal((await history(alice)).filter((c) => c.peer === OUTSIDE_NUMBER).length, 1, 'one row');
    assert.equal((await sandboxCalls()).filter((c) => c.origin === 'transfer' && c.to === OUTSIDE_NUMBER).length, 1);
  });

  it('the toll-fraud guard hangs up a premium-rate call before anything is dialled, and records it', async () => {
    const premium = '+19005550100';
    const call = await client.call(premium, { uui: `${aliceView.callerToken};encoding=jwt` });
    assert.ok((await call.final).status >= 400, 'the dialpad’s call is refused');
    const refused = await waitFor(async () => (await history(alice)).find((c) => c.peer === premium), {
      description: 'history of the refused call',
    });
    assert.equal(refused.state, 'failed');
    assert.equal(refused.cause, 'premium-rate');
    assert.deepEqual(
      (await sandboxCalls()).filter((c) => c.origin === 'transfer' && c.to === premium),
      [],
      'nothing dialled',
    );
  });

  it('a call to a user is parked, announced on their channel, and bridged when their dialpad picks it up', async () => {
    const access = (await callApi(stack.apiUrl, 'POST', '/api/me/notifications/negotiate', { token: bob.token }))
      .json as { url: string };
    const channel = new WebSocket(access.url);
    const messages: CallNotification[] = [];
    channel.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString()) as CallNotification));
    await new Promise((resolve, reject) => channel.once('open', resolve).once('error', reject));
    try {
      const inbound = (await (
        await fetch(`${stack.sandbox!.baseUrl}/sandbox/bandwidth/calls/inbound`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ from: OUTSIDE_CALLER, to: bob.number }),
        })
      ).json()) as { callId: string };
      const announced = await waitFor(() => messages.find((m) => m.type === 'incoming-call'), {
        description: 'the incoming-call notification',
      });
      assert.equal(announced.callId, inbound.callId);
      assert.equal(announced.type === 'incoming-call' && announced.from, OUTSIDE_CALLER);
      if (announced.type !== 'incoming-call') return;

      // Bob's dialpad answers: an In-App call to his own number carrying the pickup token.
      const bobView = await webrtcView(bob);
      const bobClient = await connectInApp(bobView.websocketUrl, bobView.token);
      try {
        const pickup = await bobClient.call(bob.number, { uui: `${announced.pickupToken};encoding=jwt` });
        assert.equal((await pickup.final).status, 200);
        await waitFor(async () => (await sandboxCalls()).find((c) => c.id === inbound.callId)?.bridgedWith, {
          description: 'the parked call bridged with the pickup',
        });
        await waitFor(() => messages.some((m) => m.type === 'call-ended' && m.callId === inbound.callId), {
          description: 'the other dialpads told to stop ringing',
        });
        await waitFor(async () => (await history(bob)).find((c) => c.callId === inbound.callId)?.state === 'active', {
          description: 'history: active',
        });
        pickup.hangUp();
        await waitFor(
          async () => (await history(bob)).find((c) => c.callId === inbound.callId)?.state === 'completed',
          { description: 'history: completed' },
        );
      } finally {
        await bobClient.close();
      }
    } finally {
      channel.close();
    }
  });
  it('a dialpad call without a caller token is hung up and recorded, whether it dials another user or the network', async () => {
    const calls = createAzureTables({ connectionString: stack.storageConnectionString }).calls;
    for (const target of [bob.number, OUTSIDE_NUMBER]) {
      const seen = new Set((await sandboxCalls()).map((c) => c.id));
      const call = await client.call(target); // no User-to-User: only the In-App number says who calls
      assert.ok((await call.final).status >= 400, `the call to ${target} is refused`);
      const refused = (await sandboxCalls()).find((c) => !seen.has(c.id) && c.origin === 'in-app' && c.to === target)!;
      assert.ok(refused, `the sandbox saw the call to ${target}`);
      assert.equal(refused.from, stack.env.BANDWIDTH_IN_APP_NUMBERS, 'Bandwidth names the In-App number as from');
      const initiate = refused.callbacks.find((c) => c.eventType === 'initiate')!;
      assert.match(initiate.bxml ?? '', /<Hangup\s*\/>/);
      assert.doesNotMatch(initiate.bxml ?? '', /<Ring|<Transfer|<Bridge/);
      assert.equal(refused.bridgedWith, null);
      const claim = await calls.get<{ reason: string }>(`claim:${refused.id}`, 'route');
      assert.equal(claim?.reason, 'invalid-caller-token', 'the refusal is recorded');
      const newLegs = (await sandboxCalls()).filter((c) => !seen.has(c.id) && c.origin === 'transfer');
      assert.deepEqual(newLegs, [], 'nothing dialled');
    }
    assert.equal(
      (await history(bob)).filter((c) => c.peer === stack.env.BANDWIDTH_IN_APP_NUMBERS).length,
      0,
      'bob was never rung by an anonymous dialpad',
    );
  });

  it('every callback the sandbox sent the app in these calls is valid against bandwidth.yml', async () => {
    const callbacks = (await sandboxCalls()).flatMap((call) => call.callbacks);
    const kinds = new Set(callbacks.map((c) => c.eventType));
    for (const kind of ['initiate', 'transferAnswer', 'disconnect'])
      assert.ok(kinds.has(kind), `a ${kind} callback was sent (${[...kinds].join(', ')})`);
    for (const callback of callbacks) assertCallback(callback.payload);
  });
});
