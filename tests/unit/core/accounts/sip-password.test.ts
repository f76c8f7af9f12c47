// The SIP password under its owner's control: a reveal and a rotation need a fresh passkey step-up on an account
// with a passkey (and nothing more without one); a rotation sets the new password at the provider; "log out
// everywhere" rotates it too; a provider fault or a stop between the steps never leaves a password the provider
// does not hold. Every act is in the audit trail, never with the password.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { STEP_UP_FRESH_MS } from '../../../../core/accounts/passkeys';
import { FakeCatapultError } from '../support/fake-catapult';
import { makeApp } from '../support/make-app';
import { accountsApp, code, LAPTOP, PHONE } from './support';

const endpointPassword = (catapult: ReturnType<typeof makeApp>['catapult']) => {
  const [endpoint] = [...catapult.endpoints.values()];
  assert.ok(endpoint, 'the user has an endpoint');
  return endpoint.password;
};

describe('SIP password', () => {
  it('without a passkey: shown and rotated with the session alone; the provider gets the new password', async () => {
    const { app, catapult, signUp, bearer } = accountsApp();
    const user = await app.authenticate(bearer(await signUp('alice')));
    const shown = await app.getSipCredentials(user, PHONE);
    assert.equal(shown.password, endpointPassword(catapult));

    const rotated = await app.rotateSipPassword(user, PHONE);
    assert.notEqual(rotated.password, shown.password);
    assert.equal(endpointPassword(catapult), rotated.password, 'the old password no longer registers');
    assert.equal((await app.getSipCredentials(user, PHONE)).password, rotated.password);
    assert.equal(rotated.username, 'alice');
  });

  it('with a passkey: reveal and rotation need a fresh step-up in this session', async () => {
    const { app, clock, catapult, signUp, addPasskey, passkeyLogIn, authenticator, bearer } = accountsApp();
    await addPasskey(await signUp('alice'));
    const session = await passkeyLogIn(LAPTOP);
    const user = await app.authenticate(bearer(session));
    assert.ok((await app.getSipCredentials(user, LAPTOP)).password, 'a passkey log-in is itself fresh');

    clock.now += STEP_UP_FRESH_MS + 1;
    const stale = await app.authenticate(bearer(session));
    const before = endpointPassword(catapult);
    await assert.rejects(app.getSipCredentials(stale, LAPTOP), code('step-up-required'));
    await assert.rejects(app.rotateSipPassword(stale, LAPTOP), code('step-up-required'));
    assert.equal(endpointPassword(catapult), before, 'nothing rotated without the step-up');

    const { options } = await app.stepUpOptions(stale);
    await app.stepUp(stale, { response: authenticator.authenticate(options) }, LAPTOP);
    const confirmed = await app.authenticate(bearer(session));
    const rotated = await app.rotateSipPassword(confirmed, LAPTOP);
    assert.equal(endpointPassword(catapult), rotated.password);
  });

  it('"log out everywhere" rotates the SIP password first; a provider fault ends nothing and can be retried', async () => {
    const { app, catapult, signUp, bearer } = accountsApp();
    const phone = await signUp('alice', PHONE);
    const laptop = await app.logIn({ username: 'alice' }, LAPTOP);
    const user = await app.authenticate(bearer(phone));
    const leaked = (await app.getSipCredentials(user, PHONE)).password;

    catapult.failNext('updateEndpoint', new FakeCatapultError(503, 'unavailable'));
    await assert.rejects(app.endAllSessions(user, PHONE), code('provider-unavailable'));
    await app.authenticate(bearer(laptop)); // still logged in: nothing ended
    assert.equal(endpointPassword(catapult), leaked);

    const { ended } = await app.endAllSessions(await app.authenticate(bearer(phone)), PHONE);
    assert.equal(ended, 2);
    assert.notEqual(endpointPassword(catapult), leaked, 'the leaked password no longer registers');
    await assert.rejects(app.authenticate(bearer(laptop)), code('unauthorized'));
    const again = await app.authenticate(bearer(await app.logIn({ username: 'alice' }, PHONE)));
    assert.equal((await app.getSipCredentials(again, PHONE)).password, endpointPassword(catapult));
  });

  it('a rotation whose provider step failed is finished by the next reveal, never showing a stale password', async () => {
    const { app, catapult, signUp, bearer } = accountsApp();
    const user = await app.authenticate(bearer(await signUp('alice')));
    const old = (await app.getSipCredentials(user)).password;
    catapult.failNext('updateEndpoint', new FakeCatapultError(0, 'timeout', 'timeout'));
    await assert.rejects(app.rotateSipPassword(user), code('provider-unavailable'));
    // The provider may or may not have taken it (a timeout): the next reveal sets the pending one again.
    const shown = await app.getSipCredentials(user);
    assert.notEqual(shown.password, old);
    assert.equal(endpointPassword(catapult), shown.password);
    assert.equal((await app.getSipCredentials(user)).password, shown.password, 'finished once, then stable');
  });

  it('records reveals and rotations in the audit trail with the outcome, never the password', async () => {
    const lines: string[] = [];
    const logger = {
      info: (message: string) => lines.push(message),
      warn: (message: string) => lines.push(message),
      error: (message: string) => lines.push(message),
    };
    const { app, signUp, bearer } = accountsApp({}, { logger });
    const user = await app.authenticate(bearer(await signUp('alice')));
    const { password } = await app.rotateSipPassword(user, PHONE);
    await app.getSipCredentials(user, PHONE);
    const audit = lines.filter((line) => line.startsWith('audit ')).map((line) => JSON.parse(line.slice(6)) as object);
    assert.ok(audit.some((e) => JSON.stringify(e).includes('"event":"sip-password-rotated","user":"alice"')));
    assert.ok(audit.some((e) => JSON.stringify(e).includes('"event":"sip-password-revealed","user":"alice"')));
    assert.ok(!lines.some((line) => line.includes(password)), 'the password is never logged');
  });
});
