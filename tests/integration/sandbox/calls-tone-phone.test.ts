// Two tone phones on loopback: one offers, the other answers, and RTP flows both ways.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTonePhone } from '../../../sandbox/phone-network/tone-phone';

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('a tone phone offer answered by another tone phone carries RTP both ways', async () => {
  const caller = createTonePhone();
  const callee = createTonePhone();
  try {
    const offer = await caller.offer();
    assert.match(offer, /a=rtpmap:0 PCMU\/8000/);
    assert.match(offer, /127\.0\.0\.1/);
    const answer = await callee.answer(offer);
    assert.match(answer, /a=rtpmap:0 PCMU\/8000/);
    await caller.acceptAnswer(answer);
    await until(() => caller.stats().rtpIn > 5 && callee.stats().rtpIn > 5, 8000);
    assert.ok(caller.stats().rtpOut > 0);
    assert.ok(callee.stats().rtpOut > 0);
  } finally {
    await caller.close();
    await callee.close();
  }
});
