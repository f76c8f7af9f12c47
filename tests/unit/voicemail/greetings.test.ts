// A user's own greeting: only an 8 kHz 16-bit mono WAV of 1–30 s is kept; the provider's link opens that user's
// greeting only, only with the app's signature and only for ten minutes; the orphan sweep leaves greetings alone;
// with a greeting, both providers play it instead of the spoken default.
import assert from 'node:assert/strict';
import { buffer } from 'node:stream/consumers';
import { describe, it } from 'node:test';
import { noopLogger } from '../../../core/log';
import { MemoryEntityTable } from '../../../core/storage/memory-entity-table';
import { Greetings } from '../../../core/voicemail/greetings';
import { MemoryAudioBlobs } from '../../../core/voicemail/memory-audio-blobs';
import { VoicemailStore } from '../../../core/voicemail/voicemail-store';
import { wavFile } from '../../../core/voicemail/wav';
import { ALICE, arrived, PSTN, setupCallHandler } from '../core/support/call-handler-fixture';

const BASE = 'https://app.example.com';
const pcm = (seconds: number, sampleRate = 8000, channels = 1) =>
  wavFile(Buffer.alloc(Math.round(seconds * sampleRate * 2 * channels), 3), {
    sampleRate,
    channels,
    bitsPerSample: 16,
    format: 1,
  });

function setup() {
  const clock = { now: Date.parse('2026-12-06T10:00:00Z') };
  const blobs = new MemoryAudioBlobs(() => clock.now);
  const greetings = new Greetings(blobs, Buffer.alloc(32, 9), BASE, () => clock.now);
  return { clock, blobs, greetings };
}

describe('voicemail greetings', () => {
  it('keeps only an 8 kHz 16-bit mono WAV of 1 to 30 seconds', async () => {
    const { greetings } = setup();
    assert.deepEqual(await greetings.save('alice', pcm(2.5)), { durationSeconds: 2.5 });
    for (const bad of [pcm(0.5), pcm(31), pcm(2, 16000), pcm(2, 8000, 2), Buffer.from('not a wav at all')]) {
      await assert.rejects(greetings.save('alice', bad), { code: 'invalid-greeting', field: 'audio' });
    }
    const stored = await greetings.open('alice');
    assert.deepEqual(await buffer(stored!.stream), pcm(2.5), 'the good one stays');
  });

  it('a link opens that user’s greeting for ten minutes; forged, other users’ and expired links open nothing', async () => {
    const { clock, greetings } = setup();
    assert.equal(await greetings.linkFor('alice'), undefined, 'no greeting: no link (the default is spoken)');
    await greetings.save('alice', pcm(2));
    await greetings.save('bob', pcm(3));
    const link = new URL((await greetings.linkFor('alice'))!);
    assert.equal(`${link.origin}${link.pathname}`, `${BASE}/api/voicemail/greetings/alice`);
    const expires = link.searchParams.get('expires') ?? undefined;
    const sig = link.searchParams.get('sig') ?? undefined;
    assert.deepEqual(await buffer((await greetings.openLink('alice', expires, sig)).stream), pcm(2));
    for (const [user, e, s] of [
      ['bob', expires, sig], // signed for alice
      ['alice', String(Number(expires) + 60), sig], // a later expiry under the same signature
      ['alice', expires, undefined],
      ['alice', undefined, sig],
      ['alice', expires, `${sig}x`],
    ] as const) {
      await assert.rejects(greetings.openLink(user, e, s), { code: 'not-found' }, `${user} ${e} ${s}`);
    }
    clock.now += 10 * 60_000 + 1000;
    await assert.rejects(greetings.openLink('alice', expires, sig), { code: 'not-found' }, 'expired');
  });

  it('the orphan sweep never takes a greeting for a message without its row', async () => {
    const { clock, blobs, greetings } = setup();
    await greetings.save('alice', pcm(2));
    clock.now += 24 * 3600_000;
    const store = new VoicemailStore(new MemoryEntityTable('voicemails'), blobs, noopLogger, () => clock.now);
    assert.equal(await store.sweepOrphans(), 0);
    assert.ok(await greetings.open('alice'));
  });

  it('with a greeting, the voicemail the handler asks for carries its link; a storage fault falls back to the default', async () => {
    const { send, lastAction, clock } = await setupCallHandler({ voicemail: new Map(), greetingLink: 'https://x/g' });
    await send(arrived('c-greet', PSTN, ALICE));
    clock.now += 26_000;
    await send({ kind: 'ringing-tick', callId: 'c-greet' });
    assert.deepEqual(lastAction(), {
      kind: 'voicemail',
      callId: 'c-greet',
      callee: 'alice',
      step: 'start',
      greetingUrl: 'https://x/g',
    });
    const failing = await setupCallHandler({ voicemail: new Map(), greetingLink: new Error('storage down') });
    await failing.send(arrived('c-plain', PSTN, ALICE));
    failing.clock.now += 26_000;
    await failing.send({ kind: 'ringing-tick', callId: 'c-plain' });
    assert.deepEqual(failing.lastAction(), { kind: 'voicemail', callId: 'c-plain', callee: 'alice', step: 'start' });
  });
});
