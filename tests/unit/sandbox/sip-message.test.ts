// The sandbox SIP parser/serializer against messages JsSIP really sends, cross-checked with JsSIP's own parser.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  getHeader,
  getHeaders,
  makeResponse,
  parseCSeq,
  parseSipMessage,
  serializeSipMessage,
  SipParseError,
  type SipRequest,
} from '../../../sandbox/sip/sip-message';
import { single } from '../../support/list-items';
import { JSSIP_CANCEL, JSSIP_INVITE, JSSIP_REGISTER } from './sip-captured-messages';

// JsSIP's PEG parser is the independent oracle (no typings for this internal module).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const JsSipParser = require('jssip/lib/Parser') as { parseMessage(text: string, ua: null): any };

describe('parseSipMessage / serializeSipMessage on captured JsSIP messages', () => {
  for (const [name, text] of [
    ['REGISTER', JSSIP_REGISTER],
    ['INVITE', JSSIP_INVITE],
    ['CANCEL', JSSIP_CANCEL],
  ] as const) {
    test(`${name} round-trips byte for byte`, () => {
      const parsed = parseSipMessage(text);
      assert.equal(parsed.kind, 'request');
      assert.equal(parsed.method, name);
      assert.equal(serializeSipMessage(parsed), text);
    });
  }

  test("INVITE fields agree with JsSIP's own parser", () => {
    const ours = parseSipMessage(JSSIP_INVITE) as SipRequest;
    const theirs = JsSipParser.parseMessage(JSSIP_INVITE, null);
    assert.equal(ours.uri, theirs.ruri.toString());
    assert.equal(getHeader(ours, 'Call-ID'), theirs.call_id);
    assert.deepEqual(parseCSeq(ours), { seq: theirs.cseq, method: 'INVITE' });
    assert.equal(getHeader(ours, 'Contact'), theirs.getHeader('contact'));
    assert.equal(ours.body, theirs.body);
    assert.match(ours.body, /^v=0\r\n/);
    assert.equal(Buffer.byteLength(ours.body), Number(getHeader(ours, 'Content-Length')));
  });

  test('REGISTER keeps the quoted +sip.instance Contact as one value', () => {
    const ours = parseSipMessage(JSSIP_REGISTER);
    const contact = single(getHeaders(ours, 'Contact'), 'Contact');
    assert.match(contact, /\+sip\.instance="<urn:uuid:[0-9a-f-]+>";expires=600$/);
  });

  test('a response built for the INVITE parses back in JsSIP with our To tag', () => {
    const invite = parseSipMessage(JSSIP_INVITE) as SipRequest;
    const response = makeResponse(invite, 180, {
      toTag: 'abc123',
      headers: [{ name: 'Contact', value: '<sip:sandbox@127.0.0.1:5;transport=ws>' }],
    });
    const theirs = JsSipParser.parseMessage(serializeSipMessage(response), null);
    assert.equal(theirs.status_code, 180);
    assert.equal(theirs.reason_phrase, 'Ringing');
    assert.equal(theirs.to_tag, 'abc123');
    assert.equal(theirs.via_branch, 'z9hG4bK9844493');
    assert.equal(theirs.call_id, getHeader(invite, 'Call-ID'));
  });
});

describe('parseSipMessage edge cases', () => {
  const minimal = (extra: string, body = '') =>
    `OPTIONS sip:x@y SIP/2.0\r\nVia: SIP/2.0/WS a.invalid;branch=z9hG4bK1\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:x@y>\r\nCall-ID: c1\r\nCSeq: 1 OPTIONS\r\n${extra}\r\n${body}`;

  test('compact header names expand and comma lists split outside quotes and <>', () => {
    const text =
      'INVITE sip:x@y SIP/2.0\r\nv: SIP/2.0/WS a.invalid;branch=z9hG4bK1, SIP/2.0/WS b.invalid;branch=z9hG4bK2\r\n' +
      'f: "Doe, John" <sip:a@b>;tag=1\r\nt: <sip:x@y>\r\ni: c1\r\nCSeq: 1 INVITE\r\nm: <sip:a@c.invalid;transport=ws>\r\nl: 0\r\n\r\n';
    const parsed = parseSipMessage(text);
    assert.deepEqual(getHeaders(parsed, 'Via'), [
      'SIP/2.0/WS a.invalid;branch=z9hG4bK1',
      'SIP/2.0/WS b.invalid;branch=z9hG4bK2',
    ]);
    assert.equal(getHeader(parsed, 'From'), '"Doe, John" <sip:a@b>;tag=1');
    assert.equal(getHeader(parsed, 'call-id'), 'c1');
    assert.equal(getHeader(parsed, 'Contact'), '<sip:a@c.invalid;transport=ws>');
  });

  test('folded header lines are joined', () => {
    const parsed = parseSipMessage(minimal('Subject: first\r\n  second\r\n'));
    assert.equal(getHeader(parsed, 'Subject'), 'first second');
  });

  test('Content-Length counts bytes, not characters', () => {
    const body = 'héllo';
    const parsed = parseSipMessage(minimal(`Content-Length: ${Buffer.byteLength(body)}\r\n`, body + 'trailing'));
    assert.equal(parsed.body, body);
    assert.match(serializeSipMessage(parsed), /Content-Length: 6\r\n\r\nhéllo$/);
  });

  test('responses parse with status and reason', () => {
    const parsed = parseSipMessage(
      'SIP/2.0 486 Busy Here\r\nVia: SIP/2.0/WS h;branch=z9hG4bKx\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:c@d>;tag=2\r\nCall-ID: q\r\nCSeq: 1 INVITE\r\n\r\n',
    );
    assert.equal(parsed.kind, 'response');
    assert.equal(parsed.kind === 'response' && parsed.status, 486);
    assert.equal(parsed.kind === 'response' && parsed.reason, 'Busy Here');
  });

  const bad: Array<[string, string, SipParseError['code']]> = [
    ['empty', '  \r\n', 'sip-empty'],
    [
      'HTTP start line',
      'GET / HTTP/1.1\r\nVia: x\r\nFrom: x\r\nTo: x\r\nCall-ID: x\r\nCSeq: 1 GET\r\n\r\n',
      'sip-bad-start-line',
    ],
    ['header without colon', 'OPTIONS sip:x@y SIP/2.0\r\nVia SIP/2.0/WS h\r\n\r\n', 'sip-bad-header'],
    [
      'missing Call-ID',
      'OPTIONS sip:x@y SIP/2.0\r\nVia: SIP/2.0/WS h;branch=z9hG4bK1\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:x@y>\r\nCSeq: 1 OPTIONS\r\n\r\n',
      'sip-missing-header',
    ],
    ['Content-Length beyond the body', minimal('Content-Length: 50\r\n', 'short'), 'sip-bad-content-length'],
    ['negative Content-Length', minimal('Content-Length: -1\r\n'), 'sip-bad-content-length'],
  ];
  for (const [name, text, code] of bad) {
    test(`rejects ${name} with ${code}`, () => {
      assert.throws(
        () => parseSipMessage(text),
        (error: unknown) => error instanceof SipParseError && error.code === code,
      );
    });
  }
});
