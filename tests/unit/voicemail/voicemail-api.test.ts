// The voicemail API's rules: only the owner reaches a message (anyone else: the same 404 as a deleted one),
// ids are checked before they reach storage, and a PATCH takes exactly {"read": boolean}.
import assert from 'node:assert/strict';
import { buffer } from 'node:stream/consumers';
import { describe, it } from 'node:test';
import { isAppError } from '../../../core/errors';
import { noopLogger } from '../../../core/log';
import { MemoryEntityTable } from '../../../core/storage/memory-entity-table';
import { MemoryAudioBlobs } from '../../../core/voicemail/memory-audio-blobs';
import { Greetings } from '../../../core/voicemail/greetings';
import { createVoicemailApi } from '../../../core/voicemail/voicemail-api';
import { VoicemailStore } from '../../../core/voicemail/voicemail-store';

async function setup() {
  const blobs = new MemoryAudioBlobs();
  const store = new VoicemailStore(new MemoryEntityTable('voicemails'), blobs, noopLogger);
  const greetings = new Greetings(blobs, Buffer.alloc(32, 7), 'https://app.example.com');
  const api = createVoicemailApi({ store, greetings, owner: async (user) => user });
  const audio = Buffer.from('RIFF....WAVEfmt ');
  const saved = await store.save({
    username: 'alice',
    sourceId: 'c-1',
    from: '+19195550100',
    receivedAtMs: Date.parse('2026-12-05T10:00:00Z'),
    durationSeconds: 3,
    audio,
    contentType: 'audio/wav',
  });
  return { api, id: saved.id, audio };
}

const code = (expected: string) => (error: unknown) => isAppError(error) && error.code === expected;
const alice = { username: 'alice' };
const bob = { username: 'bob' };

describe('voicemail API', () => {
  it('lists with the unread count, marks read, streams the audio, deletes', async () => {
    const { api, id, audio } = await setup();
    assert.deepEqual(await api.listVoicemails(alice), {
      voicemails: [
        { id, from: '+19195550100', receivedAt: '2026-12-05T10:00:00.000Z', durationSeconds: 3, read: false },
      ],
      unread: 1,
    });
    const stored = await api.getVoicemailAudio(alice, id);
    assert.deepEqual([stored.contentType, stored.sizeBytes], ['audio/wav', audio.byteLength]);
    assert.deepEqual(await buffer(stored.stream), audio);
    assert.equal((await api.updateVoicemail(alice, id, { read: true })).read, true);
    assert.equal((await api.listVoicemails(alice)).unread, 0);
    await api.deleteVoicemail(alice, id);
    assert.deepEqual(await api.listVoicemails(alice), { voicemails: [], unread: 0 });
    await assert.rejects(api.deleteVoicemail(alice, id), code('voicemail-not-found'));
    await assert.rejects(api.getVoicemailAudio(alice, id), code('voicemail-not-found'));
  });

  it("answers another user's request for a message as if it did not exist, and changes nothing", async () => {
    const { api, id } = await setup();
    assert.deepEqual(await api.listVoicemails(bob), { voicemails: [], unread: 0 });
    await assert.rejects(api.getVoicemailAudio(bob, id), code('voicemail-not-found'));
    await assert.rejects(api.updateVoicemail(bob, id, { read: true }), code('voicemail-not-found'));
    await assert.rejects(api.deleteVoicemail(bob, id), code('voicemail-not-found'));
    assert.deepEqual(
      (await api.listVoicemails(alice)).voicemails.map((v) => [v.id, v.read]),
      [[id, false]],
    );
  });

  it('refuses malformed ids before storage and malformed updates with invalid-voicemail-update', async () => {
    const { api, id } = await setup();
    for (const bad of ['', '../x', 'alice/' + id, id + 'x', id.toUpperCase().replace(/\d/g, 'A')]) {
      await assert.rejects(api.getVoicemailAudio(alice, bad), code('voicemail-not-found'), bad);
      await assert.rejects(api.deleteVoicemail(alice, bad), code('voicemail-not-found'), bad);
    }
    for (const body of [{}, { read: 'yes' }, { read: 1 }, { read: true, from: 'x' }, null, []]) {
      await assert.rejects(
        api.updateVoicemail(alice, id, body),
        (e) => code('invalid-voicemail-update')(e) && isAppError(e) && e.field === 'read' && e.status === 400,
        JSON.stringify(body),
      );
    }
  });
});
