// Sessions that can end: short-lived access tokens checked against the stored session, refresh, the list the
// account screen shows, log-out, "log out everywhere", the per-account cap, and storage failures.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SessionResponse } from '../../../../core/api-types';
import { ACCESS_TOKEN_SECONDS, MAX_SESSIONS, SESSION_CHECK_CACHE_MS } from '../../../../core/accounts/sessions';
import { createVoiceApp } from '../../../../core/create-voice-app';
import { testConfig } from '../support/test-config';
import { accountsApp, code, DIALPAD_ORIGIN, LAPTOP, PHONE } from './support';

describe('sessions', () => {
  it('log-in starts a stored session: access token, refresh token, listed with device, address and time', async () => {
    const { app, clock, signUp, bearer } = accountsApp();
    const first = await signUp('alice', PHONE);
    clock.now += 60_000;
    const second = await app.logIn({ username: 'alice' }, LAPTOP);
    assert.notEqual(first.sessionId, second.sessionId);
    assert.equal(Date.parse(second.expiresAt), clock.now + ACCESS_TOKEN_SECONDS * 1000);
    assert.equal(Date.parse(second.refreshExpiresAt), clock.now + 720 * 3_600_000);
    assert.equal(second.passkeySetup, 'none');
    assert.equal(first.passkeySetup, 'offer', 'offered right after sign-up, where passkeys are on');

    const user = await app.authenticate(bearer(second));
    const { sessions } = await app.listSessions(user);
    assert.deepEqual(
      sessions.map((s) => [s.id, s.device, s.clientAddress, s.method, s.current]),
      [
        [second.sessionId, 'Firefox on Linux', '198.51.100.20', 'username', true],
        [first.sessionId, 'Chrome on Android', '203.0.113.7', 'signup', false],
      ],
    );
    assert.doesNotMatch(JSON.stringify(sessions), /refresh|Mozilla/, 'no secret and no raw User-Agent');
  });

  it('an access token expires in minutes; the refresh token gets a new one until the session ends', async () => {
    const { app, clock, signUp, bearer } = accountsApp();
    const session = await signUp('alice');
    clock.now += ACCESS_TOKEN_SECONDS * 1000;
    await assert.rejects(app.authenticate(bearer(session)), code('unauthorized'));
    const refreshed = await app.refreshSession({ refreshToken: session.refreshToken });
    assert.equal((await app.authenticate(bearer(refreshed))).sessionId, session.sessionId);
    await assert.rejects(
      app.refreshSession({ refreshToken: `${session.refreshToken.slice(0, -3)}AAA` }),
      code('unauthorized'),
    );
    await assert.rejects(app.refreshSession({ refreshToken: '' }), code('unauthorized'));
  });

  it('log-out ends the session on the server: its access and refresh tokens answer 401 at once', async () => {
    const { app, signUp, bearer } = accountsApp();
    const session = await signUp('alice');
    const other = await app.logIn({ username: 'alice' }, LAPTOP);
    const user = await app.authenticate(bearer(session));
    await app.endSession(user, 'current', PHONE);
    await assert.rejects(app.authenticate(bearer(session)), code('unauthorized'));
    await assert.rejects(app.refreshSession({ refreshToken: session.refreshToken }), code('unauthorized'));
    assert.equal((await app.authenticate(bearer(other))).sessionId, other.sessionId, 'the other session lives on');
    await assert.rejects(
      app.endSession(await app.authenticate(bearer(other)), session.sessionId),
      code('session-not-found'),
    );
    await assert.rejects(app.endSession(await app.authenticate(bearer(other)), '../../x'), code('session-not-found'));
  });

  it('one session can end another from the list; "log out everywhere" ends all, the asking one too', async () => {
    const { app, signUp, bearer } = accountsApp();
    const phone = await signUp('alice', PHONE);
    const laptop = await app.logIn({ username: 'alice' }, LAPTOP);
    const tablet = await app.logIn({ username: 'alice' }, PHONE);
    const bob = await signUp('bob');
    await app.endSession(await app.authenticate(bearer(laptop)), phone.sessionId);
    await assert.rejects(app.authenticate(bearer(phone)), code('unauthorized'));

    const { ended } = await app.endAllSessions(await app.authenticate(bearer(tablet)), PHONE);
    assert.equal(ended, 2);
    for (const session of [laptop, tablet]) {
      await assert.rejects(app.authenticate(bearer(session)), code('unauthorized'));
      await assert.rejects(app.refreshSession({ refreshToken: session.refreshToken }), code('unauthorized'));
    }
    assert.equal((await app.authenticate(bearer(bob))).username, 'bob', "another account's session is untouched");
    const again = await app.logIn({ username: 'alice' });
    assert.equal((await app.listSessions(await app.authenticate(bearer(again)))).sessions.length, 1);
  });

  it('another instance accepts an ended session for at most the cache window, never longer', async () => {
    const { app, tables, catapult, clock, signUp, bearer } = accountsApp();
    const other = createVoiceApp({
      config: testConfig({ DIALPAD_ORIGIN }),
      catapult,
      tables,
      now: () => clock.now,
      sweepIntervalMs: 0,
    });
    const session = await signUp('alice');
    await other.authenticate(bearer(session)); // the other instance has it cached now
    await app.endSession(await app.authenticate(bearer(session)), 'current');
    await assert.rejects(app.authenticate(bearer(session)), code('unauthorized'), 'refused at once where it ended');
    clock.now += SESSION_CHECK_CACHE_MS;
    await assert.rejects(other.authenticate(bearer(session)), code('unauthorized'), 'refused once the cache lapses');
    await assert.rejects(other.refreshSession({ refreshToken: session.refreshToken }), code('unauthorized'));
  });

  it('a session expires SESSION_TTL_HOURS after log-in, refresh or not', async () => {
    const { app, clock, signUp } = accountsApp({ SESSION_TTL_HOURS: '2' });
    const session = await signUp('alice');
    clock.now += 2 * 3_600_000 - 60_000;
    const last = await app.refreshSession({ refreshToken: session.refreshToken });
    assert.equal(Date.parse(last.expiresAt), Date.parse(session.refreshExpiresAt), 'no token outlives the session');
    clock.now += 60_000;
    await assert.rejects(app.refreshSession({ refreshToken: session.refreshToken }), code('unauthorized'));
  });

  it(`keeps at most ${MAX_SESSIONS} sessions per account: a new log-in ends the least recently used`, async () => {
    const { app, clock, signUp, bearer } = accountsApp();
    const first = await signUp('alice');
    const later: SessionResponse[] = [];
    for (let i = 1; i < MAX_SESSIONS; i++) {
      clock.now += 1000;
      later.push(await app.logIn({ username: 'alice' }));
    }
    clock.now += 10 * 60_000;
    await app.refreshSession({ refreshToken: first.refreshToken }); // the first one is in use again
    const newest = await app.logIn({ username: 'alice' });
    const { sessions } = await app.listSessions(await app.authenticate(bearer(newest)));
    assert.equal(sessions.length, MAX_SESSIONS);
    assert.ok(
      sessions.some((s) => s.id === first.sessionId),
      'the recently used one stays',
    );
    assert.ok(!sessions.some((s) => s.id === later[0]!.sessionId), 'the least recently used one ended');
  });

  it('storage down: storage-unavailable, and the failed read is not remembered as an ended session', async () => {
    const { app, tables, signUp, bearer } = accountsApp();
    const session = await signUp('alice');
    tables.accounts.down = true;
    await assert.rejects(app.authenticate(bearer(session)), code('storage-unavailable'));
    await assert.rejects(app.logIn({ username: 'alice' }), code('storage-unavailable'));
    await assert.rejects(app.refreshSession({ refreshToken: session.refreshToken }), code('storage-unavailable'));
    tables.accounts.down = false;
    assert.equal((await app.authenticate(bearer(session))).sessionId, session.sessionId);
  });

  it('concurrent log-ins for one account each get their own session (ETag retries, nothing lost)', async () => {
    const { app, signUp, bearer } = accountsApp();
    await signUp('alice');
    const sessions = await Promise.all(Array.from({ length: 5 }, () => app.logIn({ username: 'alice' })));
    const listed = await app.listSessions(await app.authenticate(bearer(sessions[0]!)));
    assert.equal(listed.sessions.length, 6);
    for (const session of sessions) assert.ok(listed.sessions.some((s) => s.id === session.sessionId));
  });
});
