// The BXML writer: golden documents for the answers the app gives, escaping of every attribute and text, the
// characters XML cannot carry, the 64 KB limit; and the sandbox's independent BXML reader reads back what was meant.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  bridge,
  escapeXml,
  hangup,
  MAX_BXML_BYTES,
  pause,
  phoneNumber,
  redirect,
  response,
  ring,
  speakSentence,
  transfer,
} from '../../../core/providers/bandwidth/bxml';
import { parseBxml } from '../../../sandbox/bandwidth/voice/bxml';

const DECL = '<?xml version="1.0" encoding="UTF-8"?>';

test('park: Ring then Redirect, with the query of the redirect URL escaped', () => {
  const url = 'https://app.test/api/bandwidth/callbacks/ringing?callId=c-1&n=2';
  const document = response(ring({ duration: 5 }), redirect({ redirectUrl: url }));
  assert.equal(
    document,
    `${DECL}<Response><Ring duration="5"/><Redirect redirectUrl="https://app.test/api/bandwidth/callbacks/ringing?callId=c-1&amp;n=2"/></Response>`,
  );
  assert.deepEqual(parseBxml(document), [
    { verb: 'Ring', durationS: 5, answerCall: true },
    { verb: 'Redirect', callback: { url, method: 'POST' } },
  ]);
});

test('dial: Transfer with caller id, timeout, complete URL and one PhoneNumber with its answer URL', () => {
  const document = response(
    transfer(
      {
        transferCallerId: '+19195551001',
        callTimeout: 30,
        transferCompleteUrl: 'https://app.test/api/bandwidth/callbacks/transfer?callId=c-1',
      },
      [
        phoneNumber('+19195550100', {
          transferAnswerUrl: 'https://app.test/api/bandwidth/callbacks/transfer?callId=c-1',
        }),
      ],
    ),
  );
  assert.equal(
    document,
    `${DECL}<Response><Transfer transferCallerId="+19195551001" callTimeout="30" transferCompleteUrl="https://app.test/api/bandwidth/callbacks/transfer?callId=c-1">` +
      '<PhoneNumber transferAnswerUrl="https://app.test/api/bandwidth/callbacks/transfer?callId=c-1">+19195550100</PhoneNumber>' +
      '</Transfer></Response>',
  );
  const [verb] = parseBxml(document);
  assert.ok(verb?.verb === 'Transfer');
  assert.equal(verb.transferCallerId, '+19195551001');
  assert.equal(verb.callTimeoutS, 30);
  assert.equal(verb.targets[0]?.address, '+19195550100');
});

test('bridge, hangup, pause and speak', () => {
  assert.equal(
    response(bridge('c-95ac8d6e-1a31c52e')),
    `${DECL}<Response><Bridge>c-95ac8d6e-1a31c52e</Bridge></Response>`,
  );
  assert.equal(response(hangup()), `${DECL}<Response><Hangup/></Response>`);
  assert.equal(response(), `${DECL}<Response></Response>`);
  assert.equal(
    response(pause({ duration: 0.25 }), speakSentence('Hi & <bye>'), ring({ duration: 2, answerCall: false })),
    `${DECL}<Response><Pause duration="0.3"/><SpeakSentence>Hi &amp; &lt;bye&gt;</SpeakSentence><Ring duration="2" answerCall="false"/></Response>`,
  );
  assert.deepEqual(parseBxml(response(bridge('c-x'), hangup())), [
    { verb: 'Bridge', targetCallId: 'c-x' },
    { verb: 'Hangup' },
  ]);
});

test('every attribute and text is escaped: a hostile value cannot add an attribute or a verb', () => {
  const hostile = `"/><Hangup/><Ring a='`;
  const document = response(
    redirect({ redirectUrl: `https://app.test/?x=${hostile}` }),
    speakSentence(`</SpeakSentence><Hangup/>`),
    transfer({ transferCallerId: hostile }, [phoneNumber(hostile)]),
  );
  assert.doesNotMatch(document, /<Hangup\/>/);
  assert.equal(escapeXml(`<>&"'`), '&lt;&gt;&amp;&quot;&apos;');
  // Parsed back by an independent reader, the values are exactly what was given.
  const [first, second] = parseBxml(
    response(redirect({ redirectUrl: `https://app.test/?x=${hostile}` }), speakSentence('a<b')),
  );
  assert.ok(first?.verb === 'Redirect');
  assert.equal(first.callback.url, new URL(`https://app.test/?x=${hostile}`).href);
  assert.ok(second?.verb === 'SpeakSentence');
  assert.equal(second.text, 'a<b');
});

test('characters XML cannot carry, bad durations and bad transfers are refused, not written', () => {
  assert.throws(() => response(speakSentence('bell \u0007')), /XML cannot carry/);
  assert.throws(() => response(speakSentence('nul \u0000')), /XML cannot carry/);
  assert.throws(() => ring({ duration: 0 }), /positive/);
  assert.throws(() => pause({ duration: Number.NaN }), /positive/);
  assert.throws(() => transfer({}, []), /1 to 8/);
  assert.throws(() => transfer({ callTimeout: 301 }, [phoneNumber('+19195550100')]), /1 to 300/);
  // Tab, newline and characters beyond the BMP are fine.
  assert.match(response(speakSentence('a\tb\nc 😀')), /a\tb\nc 😀/);
});

test('a document over 64 KB is refused', () => {
  const long = 'x'.repeat(MAX_BXML_BYTES);
  assert.throws(() => response(speakSentence(long)), /64 KB/);
  const fits = response(speakSentence('x'.repeat(MAX_BXML_BYTES - 200)));
  assert.ok(Buffer.byteLength(fits) <= MAX_BXML_BYTES);
});
