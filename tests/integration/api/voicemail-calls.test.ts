// A message left by calling, through the whole stack on each provider (local host, the sandbox's tone phone with
// real 440 Hz RTP, Azurite Table + Blob): a call to a user whose dialpad is closed is declined (Bandwidth, through
// the API a dialpad uses) or rings out (Catapult, its 25 s transfer timeout cut short here by the sandbox's
// `busy` endpoint), the caller hears the greeting and the tone, talks, hangs up; the user then finds one unread
// message from the caller whose audio is the tone phone's 440 Hz; nobody else can fetch it; the history says why
// the call was missed.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CallRecordView, VoicemailListResponse } from '../../../core/api-types';
import { DEFAULT_GREETING } from '../../../core/voicemail/greeting';
import { wavFormat } from '../../../core/voicemail/wav';
import { startStack, type Stack } from '../../../dev/stack';
import { waitFor } from '../../e2e/support/chromium';
import { toneShare } from '../../e2e/support/voicemail-page';
import { callApi } from '../../support/api-client';
import { signUpUser, type SignedUp } from '../../support/stack-fixture';
import { GENEROUS_LIMITS } from '../../support/test-limits';

const OUTSIDE_CALLER = '+12125550143';
/** The default greeting (the sandbox speaks ~60 ms a character, 1–10 s), the half-second tone, and a margin. */
const GREETING_AND_TONE_MS = Math.min(10_000, Math.max(1000, DEFAULT_GREETING.length * 60)) + 500 + 500;
const TALK_MS = 3_500;

for (const provider of ['catapult', 'bandwidth'] as const) {
  describe(`a caller leaves a voicemail (${provider}, whole stack)`, { timeout: 120_000 }, () => {
    let stack: Stack;
    let olive: SignedUp;
    let pete: SignedUp;
    const control = () => `${stack.sandbox!.baseUrl}${provider === 'bandwidth' ? '/sandbox/bandwidth' : '/sandbox'}`;
    const history = async (user: SignedUp): Promise<CallRecordView[]> =>
      (await callApi(stack.apiUrl, 'GET', '/api/me/calls', { token: user.token })).json.calls as CallRecordView[];
    const voicemails = async (user: SignedUp) =>
      (await callApi(stack.apiUrl, 'GET', '/api/me/voicemails', { token: user.token })).json as VoicemailListResponse;

    before(async () => {
      stack = await startStack({ provider, env: GENEROUS_LIMITS });
      [olive, pete] = [await signUpUser(stack.apiUrl), await signUpUser(stack.apiUrl)];
    });
    after(async () => {
      await stack?.stop();
    });

    it('the caller hears the greeting, talks, hangs up; the user has one unread message with the caller’s audio', async () => {
      if (provider === 'catapult') {
        // Olive's endpoint refuses at once instead of ringing out the 25 s (as a declined dialpad would).
        const response = await fetch(`${control()}/phone-network/numbers/${encodeURIComponent(olive.sipUri)}`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ behaviour: 'busy' }),
        });
        assert.equal(response.status, 200, await response.text());
      }
      const placed = await fetch(`${control()}/calls/inbound`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ from: OUTSIDE_CALLER, to: olive.number, media: 'tone' }),
      });
      const placedText = await placed.text();
      assert.equal(placed.status, 201, placedText);
      const { callId } = JSON.parse(placedText) as { callId: string };
      const ringing = await waitFor(async () => (await history(olive)).find((c) => c.peer === OUTSIDE_CALLER), {
        description: 'the call in olive’s history',
      });
      if (provider === 'bandwidth') {
        // Nobody's dialpad is open; olive declines from the API (as her dialpad would) instead of waiting 25 s.
        const declined = await callApi(stack.apiUrl, 'POST', `/api/me/calls/${ringing.callId}/decline`, {
          token: olive.token,
        });
        assert.equal(declined.status, 204, JSON.stringify(declined.json));
      }
      const missed = await waitFor(
        async () => (await history(olive)).find((c) => c.callId === ringing.callId && c.state === 'failed'),
        { description: 'the call missed: to voicemail' },
      );
      assert.equal(missed.cause, provider === 'bandwidth' ? 'declined' : 'USER_BUSY');

      await new Promise((resolve) => setTimeout(resolve, GREETING_AND_TONE_MS + TALK_MS));
      const hungUp = await fetch(`${control()}/calls/${callId}/hangup`, { method: 'POST' });
      assert.ok(hungUp.ok, `hang-up: ${hungUp.status} ${await hungUp.text()}`);

      const list = await waitFor(
        async () => {
          const answer = await voicemails(olive);
          return answer.voicemails.length > 0 ? answer : undefined;
        },
        { timeoutMs: 20_000, description: 'the message in olive’s voicemail' },
      );
      assert.equal(list.unread, 1);
      const [message] = list.voicemails;
      assert.equal(message?.from, OUTSIDE_CALLER);
      assert.ok(
        message && message.durationSeconds >= 2 && message.durationSeconds <= 7,
        `${message?.durationSeconds} s`,
      );

      const audio = await fetch(`${stack.apiUrl}/api/me/voicemails/${message.id}/audio`, {
        headers: { Authorization: `Bearer ${olive.token}` },
      });
      assert.equal(audio.status, 200);
      const wav = Buffer.from(await audio.arrayBuffer());
      assert.deepEqual([wavFormat(wav)?.sampleRate, wavFormat(wav)?.channels], [8000, 1]);
      assert.ok(
        toneShare(wav, 440) > 0.5,
        `the message is the tone phone's 440 Hz (${toneShare(wav, 440).toFixed(2)})`,
      );

      const stolen = await callApi(stack.apiUrl, 'GET', `/api/me/voicemails/${message.id}/audio`, {
        token: pete.token,
      });
      assert.deepEqual([stolen.status, stolen.json?.error?.code], [404, 'voicemail-not-found']);
      assert.deepEqual((await voicemails(pete)).voicemails, []);
    });
  });
}
