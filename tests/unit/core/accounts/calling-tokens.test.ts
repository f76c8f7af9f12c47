// Calling tokens are minted at a bounded rate per session, counted on the stored session row so every instance
// sees the same count; the window reopens after an hour; another session has its own count.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CALLING_TOKEN_WINDOW_MS, CALLING_TOKENS_PER_WINDOW } from '../../../../core/accounts/sessions';
import { createVoiceApp } from '../../../../core/create-voice-app';
import { testConfig } from '../support/test-config';
import { accountsApp, code, LAPTOP } from './support';

describe('calling tokens', () => {
  it('are refused with rate-limited beyond the per-session limit, on every instance, until the window reopens', async () => {
    const { app, clock, catapult, tables, signUp, bearer } = accountsApp();
    const session = await signUp('alice');
    const user = await app.authenticate(bearer(session));
    // A second instance over the same tables: the count is shared, not per process.
    const other = createVoiceApp({
      config: testConfig({ DIALPAD_ORIGIN: 'https://dialpad.example.com' }),
      catapult,
      tables,
      now: () => clock.now,
      sweepIntervalMs: 0,
    });
    const otherUser = await other.authenticate(bearer(session));
    await Promise.all(
      Array.from({ length: CALLING_TOKENS_PER_WINDOW }, (_, i) =>
        (i % 2 ? app : other).createWebRtcToken(i % 2 ? user : otherUser),
      ),
    );
    const minted = catapult.count('createEndpointToken');
    await assert.rejects(app.createWebRtcToken(user), code('rate-limited'));
    await assert.rejects(other.createWebRtcToken(otherUser), code('rate-limited'));
    assert.equal(catapult.count('createEndpointToken'), minted, 'no token minted beyond the limit');

    const laptop = await app.authenticate(bearer(await app.logIn({ username: 'alice' }, LAPTOP)));
    assert.ok((await app.createWebRtcToken(laptop)).token, 'another session has its own count');

    clock.now += CALLING_TOKEN_WINDOW_MS;
    const later = await app.authenticate(
      bearer(await app.refreshSession({ refreshToken: session.refreshToken }).then((r) => ({ token: r.token }))),
    );
    assert.ok((await app.createWebRtcToken(later)).token, 'the window reopened');
  });

  it('an ended session mints nothing', async () => {
    const { app, signUp, bearer } = accountsApp();
    const session = await signUp('alice');
    const user = await app.authenticate(bearer(session));
    await app.endSession(user, 'current');
    await assert.rejects(app.createWebRtcToken(user), code('unauthorized'));
  });
});
