// Wire format of the call methods (docs/contracts/catapult-v1.md §11): create, read, state changes and transfer.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BASE_URL, BASIC_AUTH, clientWith, created, empty, json, only } from './fake-fetch';

const U = '/v1/users/u-abc123';

describe('Catapult client wire format: calls', () => {
  it('creates a call and reads it back', async () => {
    const { client, requests } = clientWith((request) =>
      request.method === 'POST'
        ? created(`${U}/calls/c-m6dz5lqurhhxnn7is6v3w4y`)
        : json(200, {
            id: 'c-m6dz5lqurhhxnn7is6v3w4y',
            direction: 'out',
            from: '+19195551212',
            to: '+13125556666',
            state: 'started',
            startTime: '2013-02-08T13:15:47.587Z',
            callbackUrl: 'https://x.test/cb',
            events: '…',
            recordingEnabled: false,
          }),
    );
    const result = await client.createCall({
      from: '+19195551212',
      to: '+13125556666',
      callbackUrl: 'https://x.test/cb',
      callTimeout: 30,
      tag: 'signup',
    });
    const call = await client.getCall('c-m6dz5lqurhhxnn7is6v3w4y');
    assert.deepEqual(result, { id: 'c-m6dz5lqurhhxnn7is6v3w4y' });
    assert.deepEqual(call, {
      id: 'c-m6dz5lqurhhxnn7is6v3w4y',
      direction: 'out',
      from: '+19195551212',
      to: '+13125556666',
      state: 'started',
      startTime: '2013-02-08T13:15:47.587Z',
      callbackUrl: 'https://x.test/cb',
    });
    assert.deepEqual(
      requests.map((r) => [r.method, r.path, r.bodyText]),
      [
        [
          'POST',
          `${U}/calls`,
          '{"from":"+19195551212","to":"+13125556666","callTimeout":30,"callbackUrl":"https://x.test/cb","tag":"signup"}',
        ],
        ['GET', `${U}/calls/c-m6dz5lqurhhxnn7is6v3w4y`, undefined],
      ],
    );
  });

  it('answers, rejects and hangs up with a state POST to the call', async () => {
    const { client, requests } = clientWith(() => empty(200));
    await client.answerCall('c-1');
    await client.rejectCall('c-2');
    await client.hangUpCall('c-3');
    assert.deepEqual(
      requests.map((r) => [r.method, r.path, r.bodyText]),
      [
        ['POST', `${U}/calls/c-1`, '{"state":"active"}'],
        ['POST', `${U}/calls/c-2`, '{"state":"rejected"}'],
        ['POST', `${U}/calls/c-3`, '{"state":"completed"}'],
      ],
    );
    for (const request of requests) {
      assert.equal(request.headers.authorization, BASIC_AUTH);
      assert.equal(request.headers['content-type'], 'application/json');
    }
  });

  it('transfers a call and returns the new leg id from Location', async () => {
    const { client, requests } = clientWith(() => created(`${U}/calls/c-newleg`));
    const leg = await client.transferCall('c-1', {
      transferTo: 'sip:alice@d.bwapp.bwsip.io',
      transferCallerId: '+13125556666',
      callbackUrl: 'https://x.test/cb?leg=transfer',
    });
    assert.deepEqual(leg, { id: 'c-newleg' });
    const request = only(requests);
    assert.equal(request.method, 'POST');
    assert.equal(request.path, `${U}/calls/c-1`);
    assert.equal(
      request.bodyText,
      '{"state":"transferring","transferTo":"sip:alice@d.bwapp.bwsip.io","transferCallerId":"+13125556666","callbackUrl":"https://x.test/cb?leg=transfer"}',
    );
  });
});

describe('Catapult client wire format: call audio and recordings', () => {
  it('speaks and plays to a call, switches recording on, reads a recording and downloads its media', async () => {
    const wav = Buffer.from('RIFF....WAVEfmt ');
    const { client, requests } = clientWith((request) => {
      if (request.path === `${U}/recordings/rec-1`)
        return json(200, { id: 'rec-1', media: `${BASE_URL}/users/u-abc123/media/c-1-1.wav`, state: 'complete' });
      if (request.path.startsWith(`${U}/media/`))
        return new Response(wav, { status: 200, headers: { 'Content-Type': 'audio/wav' } });
      return empty(200);
    });
    await client.playToCall('c-1', { sentence: 'Hello', gender: 'female', locale: 'en_US', tag: 'greeting' });
    await client.playToCall('c-1', { fileUrl: 'https://app.test/tone', tag: 'tone' });
    await client.setCallRecording('c-1', {
      recordingEnabled: true,
      recordingFileFormat: 'wav',
      recordingMaxDuration: 180,
    });
    const recording = await client.getRecording('rec-1');
    const media = await client.downloadMedia(recording.media);
    assert.deepEqual(media, { bytes: wav, contentType: 'audio/wav' });
    assert.deepEqual(
      requests.map((r) => [r.method, r.path, r.bodyText]),
      [
        ['POST', `${U}/calls/c-1/audio`, '{"sentence":"Hello","gender":"female","locale":"en_US","tag":"greeting"}'],
        ['POST', `${U}/calls/c-1/audio`, '{"fileUrl":"https://app.test/tone","tag":"tone"}'],
        ['POST', `${U}/calls/c-1`, '{"recordingEnabled":true,"recordingFileFormat":"wav","recordingMaxDuration":180}'],
        ['GET', `${U}/recordings/rec-1`, undefined],
        ['GET', `${U}/media/c-1-1.wav`, undefined],
      ],
    );
    assert.equal(only(requests.slice(-1)).headers.authorization, BASIC_AUTH);
  });

  it('never sends the credentials to a media URL outside the account', async () => {
    const { client, requests } = clientWith(() => empty(200));
    for (const url of [
      'https://attacker.test/v1/users/u-abc123/media/x.wav',
      `${BASE_URL}/users/u-other/media/x.wav`,
      `${BASE_URL}/users/u-abc123/media/`,
      `${BASE_URL}/users/u-abc123/media/x.wav?redirect=1`,
    ]) {
      await assert.rejects(client.downloadMedia(url), { code: 'media-url-refused' });
    }
    assert.equal(requests.length, 0);
  });
});
