// The client's call methods against the sandbox's call model: outbound create, transfer (new leg id
// from Location), answer/reject/hang-up of inbound calls, invalid states, and call-rate-limit retries.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { isCatapultError, type CatapultError } from '../../../core/catapult/catapult-error';
import type { CallState, CatapultApi } from '../../../core/catapult/catapult-api';
import { createCatapultClient } from '../../../core/catapult/client';
import { createSandbox, type Sandbox } from '../../../sandbox/server';

function failsWith(check: (error: CatapultError) => boolean) {
  return (error: unknown) => isCatapultError(error) && check(error);
}

describe('Catapult client calls against the sandbox', () => {
  let sandbox: Sandbox;
  let client: CatapultApi;
  let recorder: Server;
  let recorderUrl: string;
  const events: Array<{ path: string; body: Record<string, unknown> }> = [];

  async function control(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${sandbox.baseUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    assert.ok(response.ok, `${method} ${path} answered ${response.status}: ${text}`);
    return text ? JSON.parse(text) : undefined;
  }

  async function waitForState(callId: string, states: CallState[]): Promise<CallState> {
    const deadline = Date.now() + 5000;
    for (;;) {
      const { state } = await client.getCall(callId);
      if (states.includes(state)) return state;
      if (Date.now() > deadline) assert.fail(`call ${callId} stayed ${state}, expected ${states.join('/')}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  async function orderNumber(areaCode: string, applicationId?: string): Promise<string> {
    const [ordered] = await client.orderLocalNumbers({ areaCode, quantity: 1 });
    assert.ok(ordered);
    if (applicationId) await client.updatePhoneNumber(ordered.id, { applicationId });
    return ordered.number;
  }

  before(async () => {
    // Receives the call events the sandbox delivers, so deliveries succeed and can be checked.
    recorder = createServer((req, res) => {
      let text = '';
      req.on('data', (chunk) => (text += chunk));
      req.on('end', () => {
        events.push({ path: req.url ?? '', body: text ? (JSON.parse(text) as Record<string, unknown>) : {} });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => recorder.listen(0, '127.0.0.1', resolve));
    recorderUrl = `http://127.0.0.1:${(recorder.address() as AddressInfo).port}`;
    sandbox = await createSandbox();
    client = createCatapultClient({
      baseUrl: sandbox.apiUrl,
      ...sandbox.account,
      timeoutMs: 3000,
      retryBaseDelayMs: 20,
      maxRetryWaitMs: 500,
    });
  });

  after(async () => {
    await sandbox.close();
    recorder.closeAllConnections();
    await new Promise((resolve) => recorder.close(resolve));
  });

  beforeEach(async () => {
    await control('DELETE', '/sandbox/faults');
    await control('DELETE', '/sandbox/requests');
  });

  it('creates an outbound call, transfers it to a new leg and hangs up', async () => {
    const own = await orderNumber('919');
    const { id: callId } = await client.createCall({
      from: own,
      to: '+12065550100',
      callbackUrl: `${recorderUrl}/out`,
      tag: 'client-test',
    });
    assert.match(callId, /^c-/);
    const call = await client.getCall(callId);
    assert.deepEqual(
      [call.id, call.direction, call.from, call.to, call.callbackUrl],
      [callId, 'out', own, '+12065550100', `${recorderUrl}/out`],
    );
    await waitForState(callId, ['active']);

    const leg = await client.transferCall(callId, {
      transferTo: '+13125550111',
      transferCallerId: own,
      callbackUrl: `${recorderUrl}/transfer`,
    });
    assert.match(leg.id, /^c-/);
    assert.notEqual(leg.id, callId);
    const newLeg = await client.getCall(leg.id);
    assert.deepEqual([newLeg.direction, newLeg.from, newLeg.to], ['out', own, '+13125550111']);
    assert.equal((await client.getCall(callId)).state, 'transferring');

    await client.hangUpCall(callId);
    await waitForState(callId, ['completed']);
    await client.hangUpCall(callId); // repeating a hang-up is harmless, which is why it may be retried
    assert.ok(events.some((e) => e.path === '/out' && e.body.eventType === 'answer' && e.body.callId === callId));
  });

  it('answers and rejects inbound calls on an application without autoAnswer', async () => {
    const app = await client.createApplication({
      name: 'manual answer',
      incomingCallUrl: `${recorderUrl}/in`,
      autoAnswer: false,
    });
    const own = await orderNumber('512', app.id);

    const { callId } = (await control('POST', '/sandbox/calls/inbound', {
      from: '+12125550123',
      to: own,
      media: 'none',
    })) as { callId: string };
    const ringing = await client.getCall(callId);
    assert.deepEqual(
      [ringing.direction, ringing.from, ringing.to, ringing.state],
      ['in', '+12125550123', own, 'started'],
    );
    await assert.rejects(
      client.transferCall(callId, { transferTo: '+13125550111' }),
      failsWith((e) => e.status === 403 && e.code === 'call-invalid-state'),
    );
    await client.answerCall(callId);
    assert.equal(await waitForState(callId, ['active']), 'active');
    await client.hangUpCall(callId);
    await waitForState(callId, ['completed']);

    const second = (await control('POST', '/sandbox/calls/inbound', {
      from: '+12125550124',
      to: own,
      media: 'none',
    })) as { callId: string };
    await client.rejectCall(second.callId);
    assert.ok(['rejected', 'completed'].includes(await waitForState(second.callId, ['rejected', 'completed'])));
    await assert.rejects(
      client.answerCall(second.callId),
      failsWith((e) => e.status === 403 && e.code === 'call-invalid-state'),
    );
  });

  it('retries POST /calls refused with 403 call-rate-limit', async () => {
    const own = await orderNumber('415');
    const callsPath = `/v1/users/${sandbox.account.userId}/calls`;
    await control('DELETE', '/sandbox/requests');
    await control('POST', '/sandbox/faults', { method: 'POST', path: callsPath, count: 1, preset: 'call-rate-limit' });
    const { id } = await client.createCall({ from: own, to: '+12065550101', callbackUrl: `${recorderUrl}/limited` });
    const log = (await control('GET', '/sandbox/requests')) as Array<{ method: string; path: string; status: number }>;
    assert.deepEqual(
      log.filter((r) => r.path === callsPath).map((r) => r.status),
      [403, 201],
    );
    await client.hangUpCall(id);
  });

  it('reports an unknown call as 404 call-not-found', async () => {
    await assert.rejects(
      client.getCall('c-doesnotexist'),
      failsWith((e) => e.status === 404 && e.code === 'call-not-found' && e.category === 'not-found'),
    );
    await assert.rejects(
      client.hangUpCall('c-doesnotexist'),
      failsWith((e) => e.status === 404 && e.code === 'call-not-found'),
    );
  });
});
