// The voicemail API over HTTP with real sessions, Table and Blob Storage (Azurite): the owner lists, downloads,
// marks read and deletes; another user cannot fetch, change or delete the message (404 voicemail-not-found).
// The message is stored the way the app stores one (VoicemailStore on the app's own table and container).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { noopLogger } from '../../../core/log';
import { createAzureEntityTable } from '../../../core/storage/azure-entity-table';
import { createAzureAudioBlobs, voicemailContainerName } from '../../../core/voicemail/azure-audio-blobs';
import { VoicemailStore } from '../../../core/voicemail/voicemail-store';
import { callApi } from '../../support/api-client';
import { signUpUser, useStack, type SignedUp } from '../../support/stack-fixture';

const fixture = useStack();

describe('voicemail API', () => {
  let alice: SignedUp;
  let bob: SignedUp;
  let store: VoicemailStore;
  const audio = Buffer.from(Array.from({ length: 16_044 }, (_, i) => (i * 31) % 256));

  before(async () => {
    [alice, bob] = [await signUpUser(fixture.stack.apiUrl), await signUpUser(fixture.stack.apiUrl)];
    const connectionString = fixture.stack.storageConnectionString;
    store = new VoicemailStore(
      createAzureEntityTable({ connectionString, tableName: 'vraVoicemails' }),
      createAzureAudioBlobs({ connectionString, containerName: voicemailContainerName() }),
      noopLogger,
    );
  });

  const api = (method: string, path: string, token: string | undefined, body?: unknown) =>
    callApi(fixture.stack.apiUrl, method, path, { token, body });

  it('lets the owner list, download, mark read and delete; nobody else reaches the message', async () => {
    const { id } = await store.save({
      username: alice.username,
      sourceId: 'c-integration-1',
      from: '+19195550100',
      receivedAtMs: Date.parse('2026-12-05T10:00:00Z'),
      durationSeconds: 3,
      audio,
      contentType: 'audio/wav',
    });

    const list = await api('GET', '/api/me/voicemails', alice.token);
    assert.equal(list.status, 200);
    assert.deepEqual(list.json, {
      voicemails: [
        { id, from: '+19195550100', receivedAt: '2026-12-05T10:00:00.000Z', durationSeconds: 3, read: false },
      ],
      unread: 1,
    });
    assert.deepEqual((await api('GET', '/api/me/voicemails', bob.token)).json, { voicemails: [], unread: 0 });
    assert.equal((await api('GET', '/api/me/voicemails', undefined)).status, 401);

    const download = await fetch(`${fixture.stack.apiUrl}/api/me/voicemails/${id}/audio`, {
      headers: { authorization: `Bearer ${alice.token}` },
    });
    assert.equal(download.status, 200);
    assert.equal(download.headers.get('content-type'), 'audio/wav');
    assert.equal(download.headers.get('cache-control'), 'no-store');
    assert.deepEqual(Buffer.from(await download.arrayBuffer()), audio);

    for (const [method, path, body] of [
      ['GET', `/api/me/voicemails/${id}/audio`, undefined],
      ['PATCH', `/api/me/voicemails/${id}`, { read: true }],
      ['DELETE', `/api/me/voicemails/${id}`, undefined],
    ] as const) {
      const res = await api(method, path, bob.token, body);
      assert.deepEqual([res.status, res.json?.error?.code], [404, 'voicemail-not-found'], `${method} ${path}`);
    }
    const anonymous = await fetch(`${fixture.stack.apiUrl}/api/me/voicemails/${id}/audio`);
    assert.equal(anonymous.status, 401);
    await anonymous.body?.cancel();

    const bad = await api('PATCH', `/api/me/voicemails/${id}`, alice.token, { read: 'yes' });
    assert.deepEqual(
      [bad.status, bad.json.error.code, bad.json.error.field],
      [400, 'invalid-voicemail-update', 'read'],
    );
    const read = await api('PATCH', `/api/me/voicemails/${id}`, alice.token, { read: true });
    assert.deepEqual([read.status, read.json.read], [200, true]);
    assert.equal((await api('GET', '/api/me/voicemails', alice.token)).json.unread, 0);

    assert.equal((await api('DELETE', `/api/me/voicemails/${id}`, alice.token)).status, 204);
    assert.deepEqual((await api('GET', '/api/me/voicemails', alice.token)).json, { voicemails: [], unread: 0 });
    assert.equal(await store.openAudio(alice.username, id), undefined);
    const gone = await api('DELETE', `/api/me/voicemails/${id}`, alice.token);
    assert.deepEqual([gone.status, gone.json.error.code], [404, 'voicemail-not-found']);
  });
});
