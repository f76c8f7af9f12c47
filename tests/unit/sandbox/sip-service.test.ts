// SipService wiring without sockets: fake connections, a fake call model. Flow-table routing of requests the
// sandbox sends, and the ringer it registers with the model.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CallNetwork, Ringer } from '../../../sandbox/calls/network';
import type { Directory } from '../../../sandbox/context';
import { getHeader, parseSipMessage, type SipMessage } from '../../../sandbox/sip/sip-message';
import { SipService } from '../../../sandbox/sip/sip-service';
import { itemAt, single } from '../../support/list-items';

const directory: Directory = {
  findNumber: () => undefined,
  getApplication: () => undefined,
  findEndpoint: () => undefined,
  findEndpointByToken: () => undefined,
  getAccount: () => undefined,
};

function setup() {
  const ringers: Ringer[] = [];
  const network: CallNetwork = {
    originate: () => {
      throw new Error('unused');
    },
    addRinger: (r) => void ringers.push(r),
  };
  const service = new SipService({ directory, network, hostport: '127.0.0.1:7000', now: Date.now, log: () => {} });
  const inbox = new Map<string, SipMessage[]>();
  const open = (id: string) => {
    const received: SipMessage[] = [];
    inbox.set(id, received);
    service.connectionOpened({ id, send: (text) => received.push(parseSipMessage(text)) });
  };
  const send = (id: string, text: string) => service.receive(id, parseSipMessage(text));
  /** What the service sent on a socket so far (nothing for a socket never opened). */
  const sentOn = (id: string) => inbox.get(id) ?? [];
  /** The one ringer the SIP side adds to the network. */
  const ringer = () => single(ringers, 'ringer');
  return { service, ringers, ringer, sentOn, open, send };
}

const register = (host: string, number: string) =>
  [
    'REGISTER sip:pstn.sandbox.invalid SIP/2.0',
    `Via: SIP/2.0/WS ${host};branch=z9hG4bKr${Math.random()}`,
    `To: <sip:${number}@pstn.sandbox.invalid>`,
    `From: <sip:${number}@pstn.sandbox.invalid>;tag=1`,
    `Call-ID: r-${host}`,
    'CSeq: 1 REGISTER',
    `Contact: <sip:p@${host};transport=ws>`,
    'Expires: 600',
    '',
    '',
  ].join('\r\n');
const options = (host: string) =>
  [
    'OPTIONS sip:pstn.sandbox.invalid SIP/2.0',
    `Via: SIP/2.0/WS ${host};branch=z9hG4bKo`,
    'To: <sip:x@pstn.sandbox.invalid>',
    'From: <sip:x@pstn.sandbox.invalid>;tag=2',
    'Call-ID: o1',
    'CSeq: 1 OPTIONS',
    '',
    '',
  ].join('\r\n');

test('the SIP side adds exactly one ringer, and it rings a registered outside-phone page', () => {
  const t = setup();
  assert.equal(t.ringers.length, 1);
  t.open('ws1');
  t.send('ws1', register('page.invalid', '+13125550100'));
  assert.equal((itemAt(t.sentOn('ws1'), 0) as { status?: number }).status, 200);
  const control = t.ringer().ring({
    callId: 'c-1',
    from: '+19195550100',
    to: '+13125550100',
    offer: 'v=0\r\n',
    signals: { answered: () => {}, ended: () => {} },
  });
  assert.ok(control);
  const invite = itemAt(t.sentOn('ws1'), 1);
  assert.equal(invite.kind === 'request' && invite.uri, 'sip:p@page.invalid;transport=ws');
  assert.equal(
    t.ringer().ring({
      callId: 'c-2',
      from: '+1',
      to: '+13125550199',
      signals: { answered: () => {}, ended: () => {} },
    }),
    undefined,
  );
});

test("requests follow a client's .invalid host to the socket it reconnected on", () => {
  const t = setup();
  t.open('ws1');
  t.send('ws1', register('same.invalid', '+13125550100'));
  t.open('ws2');
  t.send('ws2', options('same.invalid')); // the same UA, now on a new socket
  assert.equal(
    (itemAt(t.sentOn('ws2'), 0) as { status?: number }).status,
    200,
    'OPTIONS answered on the socket it came from',
  );
  t.ringer().ring({
    callId: 'c-3',
    from: '+19195550100',
    to: '+13125550100',
    signals: { answered: () => {}, ended: () => {} },
  });
  assert.equal(t.sentOn('ws2').length, 2, 'the INVITE went to the new socket');
  assert.equal(getHeader(itemAt(t.sentOn('ws2'), 1), 'X-Sandbox-Call-Id'), 'c-3');
  assert.equal(t.sentOn('ws1').length, 1, 'nothing more on the old one');
});

test('registrations() lists bindings with kind and seconds left; a closed socket loses them', () => {
  const t = setup();
  t.open('ws1');
  t.send('ws1', register('gone.invalid', '+13125550101'));
  assert.deepEqual(
    t.service.registrations().map(({ aor, kind, contact }) => ({ aor, kind, contact })),
    [
      {
        aor: 'sip:+13125550101@pstn.sandbox.invalid',
        kind: 'outside-phone',
        contact: 'sip:p@gone.invalid;transport=ws',
      },
    ],
  );
  assert.ok(single(t.service.registrations()).expires >= 599);
  t.service.connectionClosed('ws1');
  assert.deepEqual(t.service.registrations(), []);
});
