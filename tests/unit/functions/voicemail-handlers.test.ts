// The voicemail functions through HttpRequest/InvocationContext with a fake VoiceApp: what reaches the core,
// the audio's headers and bytes, and the error mapping (401 without a session, the core's 404 and 400).
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { AppError } from '../../../core/errors';
import { meVoicemailAudioGet } from '../../../functions/me-voicemail-audio-get';
import { meVoicemailDelete } from '../../../functions/me-voicemail-delete';
import { meVoicemailUpdate } from '../../../functions/me-voicemail-update';
import { meVoicemailsList } from '../../../functions/me-voicemails-list';
import {
  createFakeVoiceApp,
  SAMPLE_AUDIO,
  SAMPLE_AUTHENTICATED,
  SAMPLE_VOICEMAIL,
  VALID_BEARER,
  type FakeVoiceApp,
} from '../../support/fake-voice-app';
import { invoke } from '../../support/functions-harness';

let fake: FakeVoiceApp;
beforeEach(() => {
  fake = createFakeVoiceApp();
});

const ID = SAMPLE_VOICEMAIL.id;
const auth = { authorization: VALID_BEARER };

describe('voicemail functions', () => {
  it('lists the user’s voicemail, not cacheable; 401 without a session', async () => {
    const res = await invoke(meVoicemailsList, fake, { method: 'GET', path: '/api/me/voicemails', headers: auth });
    assert.deepEqual(
      [res.status, res.json, res.headers.get('cache-control')],
      [200, { voicemails: [SAMPLE_VOICEMAIL], unread: 1 }, 'no-store'],
    );
    assert.deepEqual(fake.calls[1], { method: 'listVoicemails', args: [SAMPLE_AUTHENTICATED] });
    const anonymous = await invoke(meVoicemailsList, fake, { method: 'GET', path: '/api/me/voicemails' });
    assert.equal(anonymous.status, 401);
  });

  it('streams the audio with its type and length, never cached, as a download', async () => {
    const res = await invoke(meVoicemailAudioGet, fake, {
      method: 'GET',
      path: `/api/me/voicemails/${ID}/audio`,
      params: { voicemailId: ID },
      headers: auth,
    });
    assert.equal(res.status, 200);
    assert.equal(res.text, SAMPLE_AUDIO.toString());
    assert.equal(res.headers.get('content-type'), 'audio/wav');
    assert.equal(res.headers.get('content-length'), String(SAMPLE_AUDIO.byteLength));
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.deepEqual(fake.calls[1], { method: 'getVoicemailAudio', args: [SAMPLE_AUTHENTICATED, ID] });
  });

  it('answers the core’s voicemail-not-found as 404 with its code', async () => {
    fake.failWith('getVoicemailAudio', new AppError('voicemail-not-found', 'There is no such message.'));
    const res = await invoke(meVoicemailAudioGet, fake, {
      method: 'GET',
      path: `/api/me/voicemails/${ID}/audio`,
      params: { voicemailId: ID },
      headers: auth,
    });
    assert.deepEqual([res.status, (res.json as { error: { code: string } }).error.code], [404, 'voicemail-not-found']);
  });

  it('marks read with a JSON body; a body that is not JSON never reaches the core', async () => {
    const res = await invoke(meVoicemailUpdate, fake, {
      method: 'PATCH',
      path: `/api/me/voicemails/${ID}`,
      params: { voicemailId: ID },
      headers: auth,
      body: '{"read":true}',
    });
    assert.deepEqual([res.status, res.json], [200, { ...SAMPLE_VOICEMAIL, read: true }]);
    assert.deepEqual(fake.calls[1], { method: 'updateVoicemail', args: [SAMPLE_AUTHENTICATED, ID, { read: true }] });
    const bad = await invoke(meVoicemailUpdate, fake, {
      method: 'PATCH',
      path: `/api/me/voicemails/${ID}`,
      params: { voicemailId: ID },
      headers: auth,
      body: 'read',
    });
    assert.deepEqual([bad.status, (bad.json as { error: { code: string } }).error.code], [400, 'invalid-json']);
    assert.equal(fake.calls.filter((c) => c.method === 'updateVoicemail').length, 1);
  });

  it('deletes: 204 with no body', async () => {
    const res = await invoke(meVoicemailDelete, fake, {
      method: 'DELETE',
      path: `/api/me/voicemails/${ID}`,
      params: { voicemailId: ID },
      headers: auth,
    });
    assert.deepEqual([res.status, res.text], [204, '']);
    assert.deepEqual(fake.calls[1], { method: 'deleteVoicemail', args: [SAMPLE_AUTHENTICATED, ID] });
  });
});
