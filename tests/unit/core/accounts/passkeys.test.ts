// Passkeys through the VoiceApp with a software authenticator: registration, passkey log-in (with and without a
// username), what a passkey changes for username log-in and older sessions, step-up, removal, and each rule a
// forged or replayed response breaks.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { CHALLENGE_TTL_MS } from '../../../../core/accounts/challenges';
import { STEP_UP_FRESH_MS } from '../../../../core/accounts/passkeys';
import { SoftAuthenticator } from '../../../support/soft-authenticator';
import { makeApp } from '../support/make-app';
import { accountsApp, code, LAPTOP, PHONE } from './support';

describe('passkeys', () => {
  it('a passkey registered after sign-up: username log-in is refused, passkey log-in works', async () => {
    const { app, signUp, addPasskey, passkeyLogIn, bearer } = accountsApp();
    const session = await signUp('alice');
    const passkey = await addPasskey(session);
    assert.equal(passkey.name, 'Chrome on Android');
    assert.equal(passkey.backedUp, false);

    await assert.rejects(app.logIn({ username: 'alice' }), code('passkey-required'));
    const viaPasskey = await passkeyLogIn(LAPTOP);
    assert.equal(viaPasskey.user.username, 'alice');
    const user = await app.authenticate(bearer(viaPasskey));
    assert.equal(user.row.method, 'passkey');
    assert.ok(user.row.verifiedAt, 'a passkey log-in counts as a fresh confirmation');
    assert.equal((await app.getSipCredentials(user)).username, 'alice');
    const listed = await app.listPasskeys(user);
    assert.equal(listed.passkeys.length, 1);
    assert.ok(listed.passkeys[0]!.lastUsedAt, 'the use is recorded');
    assert.ok(listed.verifiedUntil);
  });

  it('the first passkey ends every session that never used one; the registering session stays', async () => {
    const { app, signUp, addPasskey, bearer } = accountsApp();
    const owner = await signUp('alice', PHONE);
    const guesser = await app.logIn({ username: 'alice' }, LAPTOP); // someone who only knew the username
    await addPasskey(owner);
    await assert.rejects(app.authenticate(bearer(guesser)), code('unauthorized'));
    await assert.rejects(app.refreshSession({ refreshToken: guesser.refreshToken }), code('unauthorized'));
    const kept = await app.authenticate(bearer(owner));
    assert.ok(kept.row.verifiedAt);
    // A repeated sign-up (same username and number) is a username log-in in disguise: refused as well.
    await assert.rejects(app.logIn({ username: 'alice' }), code('passkey-required'));
  });

  it('passkey log-in with a username tells the browser its passkeys and accepts a response without user handle', async () => {
    const { app, signUp, addPasskey, authenticator } = accountsApp();
    await addPasskey(await signUp('alice'));
    const { options } = await app.passkeyLoginOptions({ username: 'Alice' });
    assert.deepEqual(
      options.allowCredentials?.map((c) => c.id),
      authenticator.credentials.map((c) => c.id),
    );
    assert.equal(options.userVerification, 'required');
    const response = authenticator.authenticate(options, { withoutUserHandle: true });
    const session = await app.logInWithPasskey({ username: 'alice', response }, PHONE);
    assert.equal(session.user.username, 'alice');
    const anonymous = await app.passkeyLoginOptions({});
    assert.deepEqual(anonymous.options.allowCredentials ?? [], [], 'no username: the browser offers what it holds');
    await assert.rejects(app.passkeyLoginOptions({ username: 'a/b' }), code('invalid-username'));
  });

  it('a challenge is single-use, expires, and is bound to its purpose, account and session', async () => {
    const { app, clock, signUp, addPasskey, authenticator, bearer } = accountsApp();
    const session = await signUp('alice');
    await addPasskey(session);
    // A synced passkey reports counter 0 every time, so nothing but the challenge stops a replay.
    const { options } = await app.passkeyLoginOptions({});
    const response = authenticator.authenticate(options, { counter: 0 });
    await app.logInWithPasskey({ response }, PHONE);
    await assert.rejects(app.logInWithPasskey({ response }, PHONE), code('passkey-challenge-invalid'), 'replayed');

    const late = await app.passkeyLoginOptions({});
    clock.now += CHALLENGE_TTL_MS;
    await assert.rejects(
      app.logInWithPasskey({ response: authenticator.authenticate(late.options) }, PHONE),
      code('passkey-challenge-invalid'),
      'expired',
    );

    const user = await app.authenticate(bearer(session));
    const stepUp = await app.stepUpOptions(user);
    await assert.rejects(
      app.logInWithPasskey({ response: authenticator.authenticate(stepUp.options) }, PHONE),
      code('passkey-challenge-invalid'),
      'a step-up challenge does not log in',
    );
    const made = await app.passkeyLoginOptions({});
    const invented = Buffer.from(made.options.challenge, 'base64url');
    invented[10]! ^= 1;
    await assert.rejects(
      app.logInWithPasskey(
        { response: authenticator.authenticate(made.options, { challenge: invented.toString('base64url') }) },
        PHONE,
      ),
      code('passkey-challenge-invalid'),
      'a challenge the server did not issue',
    );
  });

  it('refuses a response from another origin, for another RP id, without user verification, or badly signed', async () => {
    const { app, signUp, addPasskey, authenticator } = accountsApp();
    await addPasskey(await signUp('alice'));
    const { privateKey: otherKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    for (const bend of [
      { origin: 'https://evil.example.net' },
      { rpId: 'evil.example.net' },
      { withoutUserVerification: true },
      { signWith: otherKey },
    ]) {
      const { options } = await app.passkeyLoginOptions({});
      await assert.rejects(
        app.logInWithPasskey({ response: authenticator.authenticate(options, bend) }, PHONE),
        code('passkey-invalid'),
        JSON.stringify(Object.keys(bend)),
      );
    }
    // Once the authenticator counted a use, a counter that goes backwards means a cloned authenticator.
    await app.logInWithPasskey({ response: authenticator.authenticate((await app.passkeyLoginOptions({})).options) });
    const cloned = await app.passkeyLoginOptions({});
    await assert.rejects(
      app.logInWithPasskey({ response: authenticator.authenticate(cloned.options, { counter: 1 }) }, PHONE),
      code('passkey-invalid'),
      'a counter that did not move on',
    );
    const { options } = await app.passkeyLoginOptions({});
    const stranger = new SoftAuthenticator(authenticator.origin);
    stranger.register({ ...(await registrationOptionsFor(app)), challenge: options.challenge });
    await assert.rejects(
      app.logInWithPasskey({ response: stranger.authenticate(options) }, PHONE),
      code('passkey-invalid'),
      'a passkey no account has',
    );
    await assert.rejects(app.logInWithPasskey({ response: { id: 'x' } as never }, PHONE), code('passkey-invalid'));
  });

  it('registration refuses another origin and a response without user verification', async () => {
    const { app, signUp, authenticator, bearer } = accountsApp();
    const user = await app.authenticate(bearer(await signUp('alice')));
    for (const bend of [{ origin: 'https://evil.example.net' }, { withoutUserVerification: true }]) {
      const { options } = await app.passkeyRegistrationOptions(user);
      await assert.rejects(
        app.registerPasskey(user, { response: authenticator.register(options, bend) }, PHONE),
        code('passkey-invalid'),
      );
    }
    assert.equal((await app.listPasskeys(user)).passkeys.length, 0);
  });

  it('a second passkey and removing one need a fresh step-up', async () => {
    const { app, clock, signUp, addPasskey, authenticator, bearer } = accountsApp();
    const session = await signUp('alice');
    await addPasskey(session);
    clock.now += STEP_UP_FRESH_MS;
    const user = await app.authenticate(bearer(await app.refreshSession({ refreshToken: session.refreshToken })));
    await assert.rejects(app.passkeyRegistrationOptions(user), code('step-up-required'));
    await assert.rejects(app.removePasskey(user, authenticator.credentials[0]!.id), code('step-up-required'));

    const { options } = await app.stepUpOptions(user);
    const { verifiedUntil } = await app.stepUp(user, { response: authenticator.authenticate(options) }, PHONE);
    assert.equal(Date.parse(verifiedUntil), clock.now + STEP_UP_FRESH_MS);
    const fresh = await app.authenticate(bearer(await app.refreshSession({ refreshToken: session.refreshToken })));
    const second = new SoftAuthenticator(authenticator.origin);
    const added = await app.registerPasskey(
      fresh,
      { response: second.register((await app.passkeyRegistrationOptions(fresh)).options) },
      LAPTOP,
    );
    assert.equal(added.name, 'Firefox on Linux');
    await app.removePasskey(fresh, authenticator.credentials[0]!.id);
    assert.deepEqual(
      (await app.listPasskeys(fresh)).passkeys.map((p) => p.id),
      [second.credentials[0]!.id],
    );
    await assert.rejects(app.removePasskey(fresh, 'nope'), code('passkey-not-found'));
  });

  it('REQUIRE_PASSKEY: a sign-up session may only register a passkey, then it is a full session', async () => {
    const { app, signUp, addPasskey, bearer } = accountsApp({ REQUIRE_PASSKEY: 'true' });
    const session = await signUp('alice');
    assert.equal(session.passkeySetup, 'required');
    await assert.rejects(app.authenticate(bearer(session)), code('passkey-setup-required'));
    const again = await app.logIn({ username: 'alice' });
    assert.equal(again.passkeySetup, 'required', 'a username log-in before the passkey is set-up only too');
    await addPasskey(session);
    const user = await app.authenticate(bearer(session));
    assert.equal(user.row.setupRequired, false);
    assert.equal((await app.listCalls(user)).calls.length, 0);
    await assert.rejects(app.authenticate(bearer(again)), code('unauthorized'), 'the other set-up session ended');
    const { options } = await app.stepUpOptions(user);
    await assert.rejects(app.removePasskey(user, 'x'), code('passkey-not-found'));
    assert.ok(options.challenge);
  });

  it('REQUIRE_PASSKEY keeps the last passkey', async () => {
    const { app, signUp, addPasskey, authenticator, bearer } = accountsApp({ REQUIRE_PASSKEY: 'true' });
    const session = await signUp('alice');
    await addPasskey(session);
    const user = await app.authenticate(bearer(session));
    await assert.rejects(app.removePasskey(user, authenticator.credentials[0]!.id), code('passkey-required'));
  });

  it('without DIALPAD_ORIGIN passkeys are off and the username journey is unchanged', async () => {
    const { app } = makeApp();
    const { session } = await app.signUp({ username: 'alice', number: '+19195551001' });
    assert.equal(session.passkeySetup, 'none');
    const user = await app.authenticate(`Bearer ${session.token}`);
    await assert.rejects(app.passkeyRegistrationOptions(user), code('passkeys-unavailable'));
    await assert.rejects(app.passkeyLoginOptions({}), code('passkeys-unavailable'));
    assert.equal((await app.listPasskeys(user)).available, false);
    assert.equal((await app.logIn({ username: 'alice' })).user.username, 'alice');
  });

  it('used challenges are swept once expired, oldest first', async () => {
    const { app, clock, signUp, addPasskey, passkeyLogIn, tables } = accountsApp();
    await addPasskey(await signUp('alice'));
    await passkeyLogIn();
    await passkeyLogIn();
    assert.equal((await tables.challenges.list('used')).length, 3);
    clock.now += CHALLENGE_TTL_MS;
    assert.equal(await app.sweepUsedChallenges(), 3);
    assert.equal((await tables.challenges.list('used')).length, 0);
  });
});

async function registrationOptionsFor(app: ReturnType<typeof accountsApp>['app']) {
  const { session } = await app.signUp({ username: 'stranger', number: '+19195551003' });
  return (await app.passkeyRegistrationOptions(await app.authenticate(`Bearer ${session.token}`))).options;
}
