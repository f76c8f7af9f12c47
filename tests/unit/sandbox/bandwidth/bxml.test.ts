// BXML as the Bandwidth sandbox reads it: each verb it plays, the attributes it checks, what it skips and what
// makes a document invalid.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidBxml, parseBxml } from '../../../../sandbox/bandwidth/voice/bxml';

test('Ring, Pause, SpeakSentence, Redirect, Hangup with their attributes and defaults', () => {
  const verbs = parseBxml(
    '<?xml version="1.0" encoding="UTF-8"?><Response><Ring duration="10" answerCall="false"/><Ring/><Pause duration="2"/>' +
      '<SpeakSentence voice="julie">Hello &amp; welcome</SpeakSentence>' +
      '<Redirect redirectUrl="https://app.example/next" redirectMethod="get" username="u" password="p" tag="t1"/><Hangup/></Response>',
  );
  assert.deepEqual(verbs, [
    { verb: 'Ring', durationS: 10, answerCall: false },
    { verb: 'Ring', durationS: 5, answerCall: true },
    { verb: 'Pause', durationS: 2 },
    { verb: 'SpeakSentence', text: 'Hello & welcome' },
    {
      verb: 'Redirect',
      callback: { url: 'https://app.example/next', method: 'GET', username: 'u', password: 'p' },
      tag: 't1',
    },
    { verb: 'Hangup' },
  ]);
});

test('Transfer with PhoneNumber and SipUri children and its callbacks; Bridge with its target', () => {
  const [transfer, bridge] = parseBxml(
    '<Response><Transfer transferCallerId="+19195551234" callTimeout="20" transferCompleteUrl="https://app.example/done">' +
      '<PhoneNumber transferAnswerUrl="https://app.example/answer" transferDisconnectUrl="https://app.example/gone" tag="x">+19195550100</PhoneNumber>' +
      '<SipUri>sip:someone@example.com</SipUri></Transfer>' +
      '<Bridge bridgeCompleteUrl="https://app.example/bc" bridgeTargetCompleteUrl="https://app.example/btc">c-123</Bridge></Response>',
  );
  assert.deepEqual(transfer, {
    verb: 'Transfer',
    transferCallerId: '+19195551234',
    callTimeoutS: 20,
    transferComplete: { url: 'https://app.example/done', method: 'POST' },
    targets: [
      {
        kind: 'phone',
        address: '+19195550100',
        transferAnswer: { url: 'https://app.example/answer', method: 'POST' },
        transferDisconnect: { url: 'https://app.example/gone', method: 'POST' },
        tag: 'x',
      },
      { kind: 'sip', address: 'sip:someone@example.com' },
    ],
  });
  assert.deepEqual(bridge, {
    verb: 'Bridge',
    targetCallId: 'c-123',
    bridgeComplete: { url: 'https://app.example/bc', method: 'POST' },
    bridgeTargetComplete: { url: 'https://app.example/btc', method: 'POST' },
  });
});

test('Bandwidth verbs the sandbox does not play are skipped, not rejected; <Bxml> is the root for PUT', () => {
  assert.deepEqual(parseBxml('<Response><Gather/><StartRecording/></Response>'), [
    { verb: 'Skipped', name: 'Gather' },
    { verb: 'Skipped', name: 'StartRecording' },
  ]);
  assert.deepEqual(parseBxml('<Bxml><Hangup/></Bxml>', 'Bxml'), [{ verb: 'Hangup' }]);
  assert.deepEqual(parseBxml('<Response/>'), []);
});

test('PlayAudio: its URL (relative ones resolve) and credentials; Record: limits, digits, callbacks, defaults', () => {
  const verbs = parseBxml(
    '<Response><PlayAudio username="a" password="b">/greeting.wav</PlayAudio>' +
      '<Record maxDuration="180" terminatingDigits="#" recordingAvailableUrl="/available" recordCompleteUrl="https://app.example/done"' +
      ' recordCompleteMethod="get" username="u" password="p" tag="vm" fileFormat="wav"/><Record/></Response>',
    'Response',
    'http://127.0.0.1:7071/api/bandwidth/voice/initiate',
  );
  assert.deepEqual(verbs, [
    { verb: 'PlayAudio', url: 'http://127.0.0.1:7071/greeting.wav', username: 'a', password: 'b' },
    {
      verb: 'Record',
      maxDurationS: 180,
      terminatingDigits: '#',
      fileFormat: 'wav',
      recordComplete: { url: 'https://app.example/done', method: 'GET', username: 'u', password: 'p' },
      recordingAvailable: { url: 'http://127.0.0.1:7071/available', method: 'POST', username: 'u', password: 'p' },
      tag: 'vm',
    },
    { verb: 'Record', maxDurationS: 60, terminatingDigits: '', fileFormat: 'wav' },
  ]);
  for (const bad of [
    '<Response><PlayAudio/></Response>',
    '<Response><Record maxDuration="0"/></Response>',
    '<Response><Record maxDuration="10801"/></Response>',
    '<Response><Record terminatingDigits="A"/></Response>',
    '<Response><Record fileFormat="mp3"/></Response>',
  ]) {
    assert.throws(() => parseBxml(bad), InvalidBxml, bad);
  }
});

test('invalid BXML: not XML, wrong root, unknown verb, bad attributes, empty Transfer or Bridge', () => {
  const invalid = [
    'not xml',
    '<Response><Ring></Response>',
    '<Bxml><Hangup/></Bxml>',
    '<Response><Dance/></Response>',
    '<Response><Ring duration="soon"/></Response>',
    '<Response><Ring answerCall="yes"/></Response>',
    '<Response><Redirect/></Response>',
    '<Response><Redirect redirectUrl="ftp://x"/></Response>',
    '<Response><Transfer/></Response>',
    '<Response><Transfer><PhoneNumber>919555</PhoneNumber></Transfer></Response>',
    '<Response><Transfer transferCallerId="nobody"><PhoneNumber>+19195550100</PhoneNumber></Transfer></Response>',
    '<Response><Transfer callTimeout="500"><PhoneNumber>+19195550100</PhoneNumber></Transfer></Response>',
    `<Response><Transfer>${'<PhoneNumber>+19195550100</PhoneNumber>'.repeat(9)}</Transfer></Response>`,
    '<Response><Bridge/></Response>',
    '<Response><SpeakSentence/></Response>',
    `<Response><SpeakSentence>${'a'.repeat(70_000)}</SpeakSentence></Response>`,
  ];
  for (const document of invalid) assert.throws(() => parseBxml(document), InvalidBxml, document.slice(0, 80));
});

test('relative callback URLs resolve against the URL that answered; without one they are invalid', () => {
  const document =
    '<Response><Redirect redirectUrl="park?round=2" redirectFallbackUrl="/spare" fallbackUsername="fu" ' +
    'fallbackPassword="fp"/><Transfer transferCompleteUrl="../done"><PhoneNumber transferAnswerUrl="answer">' +
    '+19195550100</PhoneNumber></Transfer></Response>';
  const [redirect, transfer] = parseBxml(document, 'Response', 'https://app.example/hooks/initiate?x=1');
  assert.deepEqual(redirect, {
    verb: 'Redirect',
    callback: {
      url: 'https://app.example/hooks/park?round=2',
      method: 'POST',
      fallbackUrl: 'https://app.example/spare',
      fallbackUsername: 'fu',
      fallbackPassword: 'fp',
    },
  });
  assert.equal(transfer?.verb === 'Transfer' && transfer.transferComplete?.url, 'https://app.example/done');
  assert.equal(
    transfer?.verb === 'Transfer' && transfer.targets[0]?.transferAnswer?.url,
    'https://app.example/hooks/answer',
  );
  assert.throws(() => parseBxml('<Bxml><Redirect redirectUrl="/next"/></Bxml>', 'Bxml'), /absolute/);
  assert.throws(
    () => parseBxml('<Response><Redirect redirectUrl="mailto:a@b"/></Response>', 'Response', 'https://app.example/'),
    InvalidBxml,
  );
});
