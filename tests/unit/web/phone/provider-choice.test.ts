// The Phone facade picks the connector from the provider the API names, and keeps retrying until it gets
// credentials. On Catapult nothing of Bandwidth's runs (no channel, no User-to-User).
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { createPhone } from '../../../../web/src/phone/create-phone';
import { catapultToken, fakeApi, fakeRuntime, FakeSession, FakeUA, FakeWebSocket, settle } from './fakes';

describe('phone: the connector follows the provider', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'Date'], now: Date.parse('2026-11-26T10:00:00Z') }));
  afterEach(() => mock.timers.reset());

  it('on Catapult registers the endpoint URI with X-Callsign-Token, opens no channel and rings on INVITEs', async () => {
    const api = fakeApi();
    const phone = createPhone(api.options, fakeRuntime());
    api.nextTokens.push(catapultToken(1));
    await phone.start();
    await settle();
    const ua = FakeUA.instances[0]!;
    assert.equal(ua.config.uri, 'sip:alice-ep@vra.bwapp.bwsip.io');
    assert.deepEqual(ua.registerHeaders, ['X-Callsign-Token: cat-1']);
    ua.connectAndRegister();
    assert.equal(phone.state.registration, 'registered');
    assert.equal(api.negotiations, 0);
    assert.equal(FakeWebSocket.instances.length, 0);

    phone.call('+19195550199');
    assert.equal(ua.calls[0]!.target, '+19195550199');
    assert.deepEqual(ua.calls[0]!.options.extraHeaders, ['X-Callsign-Token: cat-1']);
    phone.hangUp();

    const invite = new FakeSession('sip:alice-ep@vra.bwapp.bwsip.io');
    ua.receive(invite);
    assert.equal(phone.state.call?.state, 'incoming');
    phone.answer();
    assert.equal(phone.state.call?.state, 'answering');
    assert.deepEqual(invite.answeredWith?.extraHeaders, ['X-Callsign-Token: cat-1']);
    invite.emit('confirmed');
    assert.equal(phone.state.call?.state, 'active');
    phone.stop();
  });

  it('on Catapult declines with 603 and answers a second call 486 while busy', async () => {
    const api = fakeApi();
    const phone = createPhone(api.options, fakeRuntime());
    api.nextTokens.push(catapultToken(1));
    await phone.start();
    const ua = FakeUA.instances[0]!;
    ua.connectAndRegister();
    const first = new FakeSession('x');
    ua.receive(first);
    const second = new FakeSession('x');
    ua.receive(second);
    assert.equal(second.terminatedWith?.status_code, 486);
    phone.decline();
    assert.equal(first.terminatedWith?.status_code, 603);
    assert.deepEqual(api.declined, [], 'Catapult declines over SIP, not through the API');
    phone.stop();
  });

  it('retries every 10 s while no credentials come, then starts the connector the answer names', async () => {
    const api = fakeApi();
    const phone = createPhone(api.options, fakeRuntime());
    api.nextTokens.push(new Error('provider-unavailable'));
    await phone.start();
    assert.equal(phone.state.registration, 'failed');
    assert.throws(() => phone.call('+19195550199'), /not connected/);
    api.nextTokens.push(catapultToken(2));
    mock.timers.tick(10_000);
    await settle();
    assert.equal(FakeUA.instances.length, 1);
    phone.stop();
  });

  it('refuses to dial what is not a number', async () => {
    const api = fakeApi();
    const phone = createPhone(api.options, fakeRuntime());
    api.nextTokens.push(catapultToken(1));
    await phone.start();
    FakeUA.instances[0]!.connectAndRegister();
    assert.throws(() => phone.call('sip:bob@elsewhere'), /not a number/);
    phone.stop();
  });
});
