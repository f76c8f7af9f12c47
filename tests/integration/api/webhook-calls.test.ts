// The Catapult webhook with real calls through the sandbox's phone network: forged events are
// refused and change nothing; a PSTN call to a user's number is transferred to the user's SIP
// endpoint; a call from the endpoint is transferred to the normalised dialled number with the
// user's number as caller id; both land in the user's call history.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { callApi, eventually } from '../../support/api-client';
import { signUpUser, useStack, type SignedUp } from '../../support/stack-fixture';

const fixture = useStack();
let user: SignedUp;

const CALLER = '+19192345678';
const DIALLED = '(919) 876-5432';
const DIALLED_E164 = '+19198765432';

const transferRequests = async () =>
  (await fixture.sandbox.requests()).filter((r) => r.method === 'POST' && /\/calls\/[^/]+$/.test(r.path)).length;

describe('Catapult webhook', () => {
  // Inside the suite: Node 20 does not wait for one root-level before() before starting the next.
  before(async () => {
    user = await signUpUser(fixture.stack.apiUrl);
  });

  it('refuses events without the webhook credentials (401) and does nothing', async () => {
    const before = await transferRequests();
    const event = { eventType: 'answer', callId: 'c-forged', from: CALLER, to: user.number, callState: 'active' };
    for (const authorization of [undefined, `Basic ${Buffer.from('catapult:wrong').toString('base64')}`]) {
      const res = await callApi(fixture.stack.apiUrl, 'POST', '/api/catapult/events', {
        body: event,
        headers: authorization ? { authorization } : {},
      });
      assert.equal(res.status, 401, JSON.stringify(res.json));
      assert.equal(res.json.error.code, 'webhook-unauthorized');
    }
    // credentials are checked before the body is: garbage from an unauthenticated sender is 401 too
    const garbage = await fetch(`${fixture.stack.apiUrl}/api/catapult/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{not json',
    });
    assert.equal(garbage.status, 401);
    assert.equal(((await garbage.json()) as { error: { code: string } }).error.code, 'webhook-unauthorized');
    const get = await callApi(
      fixture.stack.apiUrl,
      'GET',
      `/api/catapult/events?eventType=answer&callId=c-forged&to=${encodeURIComponent(user.number)}`,
    );
    assert.equal(get.status, 401);
    assert.equal(await transferRequests(), before, 'no call was touched');
    const history = await callApi(fixture.stack.apiUrl, 'GET', '/api/me/calls', { token: user.token });
    assert.ok(!history.json.calls.some((call: { callId: string }) => call.callId === 'c-forged'));
  });

  it('transfers a call to the user’s number to the user’s SIP endpoint and records it', async () => {
    const { callId } = await fixture.sandbox.inboundCall(CALLER, user.number);
    const leg = await eventually(async () => {
      const calls = await fixture.sandbox.calls();
      return calls.find((call) => call.transferredFromCallId === callId);
    }, 'the transfer leg to the endpoint');
    assert.equal(leg.to, user.sipUri);

    const record = await eventually(async () => {
      const res = await callApi(fixture.stack.apiUrl, 'GET', '/api/me/calls', { token: user.token });
      return res.json.calls.find(
        (call: { direction: string; peer: string }) => call.direction === 'inbound' && call.peer === CALLER,
      );
    }, 'the inbound call in the history');
    assert.ok(['ringing', 'active', 'completed', 'failed'].includes(record.state));
    assert.ok(Date.parse(record.startedAt) > 0);
  });

  it('transfers a call from the user’s endpoint to the normalised number with the user’s number as caller id', async () => {
    const { callId } = await fixture.sandbox.endpointCall(user.sipUri, DIALLED.replace(/\D/g, ''));
    const leg = await eventually(async () => {
      const calls = await fixture.sandbox.calls();
      return calls.find((call) => call.transferredFromCallId === callId);
    }, 'the transfer leg to the dialled number');
    assert.equal(leg.to, DIALLED_E164);
    assert.equal(leg.from, user.number);

    const record = await eventually(async () => {
      const res = await callApi(fixture.stack.apiUrl, 'GET', '/api/me/calls', { token: user.token });
      return res.json.calls.find(
        (call: { direction: string; peer: string }) => call.direction === 'outbound' && call.peer === DIALLED_E164,
      );
    }, 'the outbound call in the history');
    assert.ok(record.callId);
    const history = await callApi(fixture.stack.apiUrl, 'GET', '/api/me/calls', { token: user.token });
    assert.equal(history.json.calls[0].direction, 'outbound', 'newest first');
  });

  it('does not transfer a call from the endpoint to a number outside the allowed countries', async () => {
    const { callId } = await fixture.sandbox.endpointCall(user.sipUri, '+442079460000');
    const call = await eventually(async () => {
      const found = (await fixture.sandbox.calls()).find((c) => c.id === callId);
      return found && ['completed', 'rejected'].includes(found.state) ? found : undefined;
    }, 'the blocked call to end');
    assert.ok(!(await fixture.sandbox.calls()).some((c) => c.transferredFromCallId === callId));
    assert.ok(call.state === 'completed' || call.state === 'rejected');
  });
});
