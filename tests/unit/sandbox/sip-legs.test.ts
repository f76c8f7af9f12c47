// The two kinds of call leg the SIP side runs, with an in-memory transport and a fake call model:
// InboundCall (a client's INVITE → network.originate) and OutboundRing (the model rings registered clients).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  CallRejected,
  type CallNetwork,
  type HangupCause,
  type LegSignals,
  type OriginateRequest,
} from '../../../sandbox/calls/network';
import type { Binding } from '../../../sandbox/sip/binding-store';
import { InboundCall } from '../../../sandbox/sip/inbound-call';
import { OutboundRing } from '../../../sandbox/sip/outbound-ring';
import {
  getHeader,
  parseSipMessage,
  type SipMessage,
  type SipRequest,
  type SipResponse,
} from '../../../sandbox/sip/sip-message';
import type { SipTransport } from '../../../sandbox/sip/sip-transport';
import { itemAt } from '../../support/list-items';
import { JSSIP_CANCEL, JSSIP_INVITE } from './sip-captured-messages';

function fakeTransport() {
  const sent: Array<{ connectionId: string; message: SipMessage }> = [];
  const transport: SipTransport = {
    hostport: '127.0.0.1:7000',
    sendResponse: (connectionId, message) => void sent.push({ connectionId, message }),
    sendRequest: (connectionId, message) => (sent.push({ connectionId, message }), connectionId !== 'gone'),
    connectionFor: () => undefined,
    log: () => {},
  };
  const statuses = () => sent.map(({ message }) => (message.kind === 'response' ? message.status : message.method));
  return { transport, sent, statuses };
}

const invite = () => parseSipMessage(JSSIP_INVITE) as SipRequest;
const inDialog = (call: InboundCall, method: string) => {
  const text =
    `${method} sip:sandbox@127.0.0.1:7000;transport=ws SIP/2.0\r\nVia: SIP/2.0/WS 0lkti6kkoklq.invalid;branch=z9hG4bKnew\r\n` +
    `From: <sip:alice@example.bwapp.bwsip.io>;tag=aimuacl90l\r\nTo: <sip:+19195550100@example.bwapp.bwsip.io>;tag=x\r\n` +
    `Call-ID: ${call.sipCallId}\r\nCSeq: 7645 ${method}\r\n\r\n`;
  return parseSipMessage(text) as SipRequest;
};

describe('InboundCall', () => {
  function setup(originate: (request: OriginateRequest) => { callId: string; hangUp(cause?: HangupCause): void }) {
    const fake = fakeTransport();
    let done = false;
    const call = new InboundCall({
      transport: fake.transport,
      invite: invite(),
      connectionId: 'ws1',
      onDone: () => (done = true),
    });
    const hangUps: Array<HangupCause | undefined> = [];
    let signals: LegSignals | undefined;
    let offer: string | undefined;
    const network: CallNetwork = {
      originate: (request) => {
        signals = request.signals;
        offer = request.offer;
        const control = originate(request);
        return { callId: control.callId, hangUp: (cause) => (hangUps.push(cause), control.hangUp(cause)) };
      },
      addRinger: () => {},
    };
    call.originate(network, { from: 'sip:alice@example.bwapp.bwsip.io', to: '+19195550100', endpointId: 're-1' });
    return { ...fake, call, hangUps, signals: () => signals!, offer: () => offer, done: () => done };
  }

  test('passes the SDP offer; ringing → 180, answered → 200 with the answer SDP and a Contact; BYE → hangUp', () => {
    const t = setup(() => ({ callId: 'c-1', hangUp: () => {} }));
    assert.equal(t.offer(), invite().body);
    assert.equal(t.call.catapultCallId, 'c-1');
    t.signals().ringing!();
    t.signals().answered('v=0\r\nanswer\r\n');
    const ok = itemAt(t.sent, 1).message as SipResponse;
    assert.deepEqual(t.statuses(), [180, 200]);
    assert.equal(ok.body, 'v=0\r\nanswer\r\n');
    assert.equal(getHeader(ok, 'Content-Type'), 'application/sdp');
    assert.match(getHeader(ok, 'Contact')!, /^<sip:sandbox@127\.0\.0\.1:7000;transport=ws>$/);
    assert.equal(getHeader(ok, 'To'), getHeader(itemAt(t.sent, 0).message, 'To'), 'same To tag on 180 and 200');
    t.call.onInDialogRequest(inDialog(t.call, 'ACK'));
    t.call.onInDialogRequest(inDialog(t.call, 'BYE'));
    assert.deepEqual(t.statuses(), [180, 200, 200]);
    assert.deepEqual(t.hangUps, ['NORMAL_CLEARING']);
    assert.equal(t.done(), true);
  });

  test('an answer without SDP to a client that made an offer → 488 and the leg is hung up', () => {
    const t = setup(() => ({ callId: 'c-7', hangUp: () => {} }));
    t.signals().answered(undefined);
    assert.deepEqual(t.statuses(), [488]);
    assert.deepEqual(t.hangUps, ['NORMAL_TEMPORARY_FAILURE']);
    assert.equal(t.done(), true);
  });

  test('CallRejected from the network becomes that final response', () => {
    const t = setup(() => {
      throw new CallRejected(404, 'no account owns it');
    });
    assert.deepEqual(t.statuses(), [404]);
    assert.equal(t.done(), true);
  });

  test('CANCEL while the model is still deciding (slow webhook) → 200, 487, hangUp(ORIGINATOR_CANCEL); late signals are ignored', () => {
    const t = setup(() => ({ callId: 'c-2', hangUp: () => {} }));
    t.call.onCancel(parseSipMessage(JSSIP_CANCEL) as SipRequest);
    assert.deepEqual(t.statuses(), [200, 487]);
    assert.equal(getHeader(itemAt(t.sent, 0).message, 'CSeq'), '7644 CANCEL');
    assert.deepEqual(t.hangUps, ['ORIGINATOR_CANCEL']);
    t.signals().answered('v=0\r\nlate\r\n');
    t.signals().ended('NORMAL_CLEARING');
    assert.deepEqual(t.statuses(), [200, 487], 'nothing after the 487');
  });

  test('a CANCEL with another branch gets 481 and changes nothing', () => {
    const t = setup(() => ({ callId: 'c-3', hangUp: () => {} }));
    t.call.onCancel(parseSipMessage(JSSIP_CANCEL.replace('z9hG4bK9844493', 'z9hG4bKother')) as SipRequest);
    assert.deepEqual(t.statuses(), [481]);
    assert.deepEqual(t.hangUps, []);
  });

  test('ended before answer maps the cause to a SIP status', () => {
    const cases: Array<[HangupCause, number]> = [
      ['USER_BUSY', 486],
      ['CALL_REJECTED', 603],
      ['NO_ANSWER', 480],
      ['UNALLOCATED_NUMBER', 404],
    ];
    for (const [cause, status] of cases) {
      const t = setup(() => ({ callId: 'c', hangUp: () => {} }));
      t.signals().ended(cause);
      assert.deepEqual(t.statuses(), [status], cause);
    }
  });

  test('ended after the 200 waits for the ACK before sending BYE; the BYE is in-dialog', () => {
    const t = setup(() => ({ callId: 'c-4', hangUp: () => {} }));
    t.signals().answered('v=0\r\n');
    t.signals().ended('NORMAL_CLEARING');
    assert.deepEqual(t.statuses(), [200]);
    t.call.onInDialogRequest(inDialog(t.call, 'ACK'));
    assert.deepEqual(t.statuses(), [200, 'BYE']);
    const bye = itemAt(t.sent, 1).message as SipRequest;
    assert.equal(bye.uri, 'sip:u7qltslc@0lkti6kkoklq.invalid;transport=ws;ob', "to the caller's Contact");
    assert.equal(getHeader(bye, 'Call-ID'), t.call.sipCallId);
    assert.match(getHeader(bye, 'To')!, /;tag=aimuacl90l$/);
    assert.match(getHeader(bye, 'From')!, /^<sip:\+19195550100@example\.bwapp\.bwsip\.io>;tag=/);
  });

  test('session refresh (UPDATE without SDP, re-INVITE) is answered 200; the re-INVITE gets the current answer', () => {
    const t = setup(() => ({ callId: 'c-5', hangUp: () => {} }));
    t.signals().answered('v=0\r\nA\r\n');
    t.call.onInDialogRequest(inDialog(t.call, 'ACK'));
    t.call.onInDialogRequest(inDialog(t.call, 'UPDATE'));
    t.call.onInDialogRequest(inDialog(t.call, 'INVITE'));
    assert.deepEqual(t.statuses(), [200, 200, 200]);
    assert.equal((itemAt(t.sent, 2).message as SipResponse).body, 'v=0\r\nA\r\n');
  });

  test("the caller's socket closing hangs the leg up", () => {
    const t = setup(() => ({ callId: 'c-6', hangUp: () => {} }));
    t.call.onConnectionClosed();
    assert.deepEqual(t.hangUps, ['ORIGINATOR_CANCEL']);
  });
});

describe('OutboundRing', () => {
  const binding = (n: number, connectionId = `ws${n}`): Binding => ({
    aor: 'sip:bob@dom.bwapp.bwsip.io',
    contact: `<sip:b${n}@h${n}.invalid;transport=ws>`,
    contactUri: `sip:b${n}@h${n}.invalid;transport=ws`,
    kind: 'endpoint',
    connectionId,
    expiresAt: Date.now() + 60_000,
  });
  function setup(bindings: Binding[]) {
    const fake = fakeTransport();
    const events: string[] = [];
    const ring = new OutboundRing({
      transport: fake.transport,
      request: {
        callId: 'c-9',
        from: '+19195550100',
        to: 'sip:bob@dom.bwapp.bwsip.io',
        offer: 'v=0\r\noffer\r\n',
        signals: {
          ringing: () => events.push('ringing'),
          answered: (sdp) => events.push(`answered:${sdp}`),
          ended: (cause) => events.push(`ended:${cause}`),
        },
      },
      bindings,
      onBranch: () => {},
      onDone: () => events.push('done'),
    });
    ring.start();
    const invites = fake.sent.map((s) => s.message as SipRequest);
    const respond = (inviteIndex: number, status: number, body = '', tag = `t${inviteIndex}`) => {
      const inv = itemAt(invites, inviteIndex, 'INVITE');
      const lines = ['Via', 'From', 'Call-ID', 'CSeq'].map((name) => `${name}: ${getHeader(inv, name)}`);
      ring.onResponse(
        parseSipMessage(
          `SIP/2.0 ${status} X\r\n${lines.join('\r\n')}\r\nTo: ${getHeader(inv, 'To')};tag=${tag}\r\n` +
            `Contact: <sip:b${inviteIndex}@answer.invalid;transport=ws>\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
        ) as SipResponse,
      );
    };
    return { ...fake, ring, events, invites, respond };
  }

  test('forks one INVITE per contact, with the offer, the caller id and the contact as Request-URI', () => {
    const t = setup([binding(1), binding(2)]);
    assert.deepEqual(
      t.invites.map((i) => [i.method, i.uri]),
      [
        ['INVITE', 'sip:b1@h1.invalid;transport=ws'],
        ['INVITE', 'sip:b2@h2.invalid;transport=ws'],
      ],
    );
    assert.deepEqual(
      t.sent.map((s) => s.connectionId),
      ['ws1', 'ws2'],
    );
    assert.equal(itemAt(t.invites, 0).body, 'v=0\r\noffer\r\n');
    assert.match(
      getHeader(itemAt(t.invites, 0), 'From')!,
      /^"\+19195550100" <sip:\+19195550100@127\.0\.0\.1:7000>;tag=/,
    );
    assert.equal(getHeader(itemAt(t.invites, 0), 'X-Sandbox-Call-Id'), 'c-9');
    assert.notEqual(getHeader(itemAt(t.invites, 0), 'Call-ID'), getHeader(itemAt(t.invites, 1), 'Call-ID'));
  });

  test('first 2xx wins: ACK to it, CANCEL to the other; a late 2xx from the loser gets ACK + BYE', () => {
    const t = setup([binding(1), binding(2)]);
    t.respond(0, 180);
    t.respond(1, 180);
    t.respond(1, 200, 'v=0\r\nB\r\n');
    assert.deepEqual(t.events, ['ringing', 'answered:v=0\r\nB\r\n']);
    assert.deepEqual(t.statuses().slice(2), ['ACK', 'CANCEL']);
    const ack = itemAt(t.sent, 2).message as SipRequest;
    assert.equal(ack.uri, 'sip:b1@answer.invalid;transport=ws', "ACK goes to the 200's Contact");
    assert.match(getHeader(ack, 'To')!, /;tag=t1$/);
    const cancel = itemAt(t.sent, 3).message as SipRequest;
    assert.equal(getHeader(cancel, 'Via'), getHeader(itemAt(t.invites, 0), 'Via'), 'CANCEL reuses the INVITE branch');
    assert.equal(itemAt(t.sent, 3).connectionId, 'ws1');
    t.respond(0, 200, 'v=0\r\nlate\r\n');
    assert.deepEqual(t.statuses().slice(4), ['ACK', 'BYE']);
    assert.deepEqual(t.events, ['ringing', 'answered:v=0\r\nB\r\n'], 'the model hears one answer only');
  });

  test('every branch failing ends the leg with the best cause (busy beats unavailable); non-2xx finals are ACKed', () => {
    const t = setup([binding(1), binding(2)]);
    t.respond(0, 480);
    t.respond(1, 486);
    assert.deepEqual(t.statuses().slice(2), ['ACK', 'ACK']);
    assert.equal(
      getHeader(itemAt(t.sent, 2).message, 'Via'),
      getHeader(itemAt(t.invites, 0), 'Via'),
      'non-2xx ACK is in the INVITE transaction',
    );
    assert.deepEqual(t.events, ['ended:USER_BUSY', 'done']);
  });

  test('hangUp while ringing CANCELs every branch; after answer it sends BYE', () => {
    const t = setup([binding(1), binding(2)]);
    t.ring.hangUp('ORIGINATOR_CANCEL');
    assert.deepEqual(t.statuses().slice(2), ['CANCEL', 'CANCEL']);
    const u = setup([binding(1)]);
    u.respond(0, 200, 'v=0\r\n');
    u.ring.hangUp('NORMAL_CLEARING');
    assert.deepEqual(u.statuses().slice(1), ['ACK', 'BYE']);
  });

  test("the answering client's BYE ends the leg; its socket closing does too", () => {
    const t = setup([binding(1)]);
    t.respond(0, 200, 'v=0\r\n');
    const callId = getHeader(itemAt(t.invites, 0), 'Call-ID')!;
    const bye = parseSipMessage(
      `BYE sip:sandbox@127.0.0.1:7000;transport=ws SIP/2.0\r\nVia: SIP/2.0/WS h1.invalid;branch=z9hG4bKb\r\n` +
        `From: <sip:bob@dom.bwapp.bwsip.io>;tag=t0\r\nTo: ${getHeader(itemAt(t.invites, 0), 'From')}\r\nCall-ID: ${callId}\r\nCSeq: 1 BYE\r\n\r\n`,
    ) as SipRequest;
    t.ring.onInDialogRequest(bye, callId);
    assert.equal((t.sent.at(-1)!.message as SipResponse).status, 200);
    assert.deepEqual(t.events, ['answered:v=0\r\n', 'ended:NORMAL_CLEARING', 'done']);

    const u = setup([binding(1)]);
    u.respond(0, 200, 'v=0\r\n');
    u.ring.onConnectionClosed('ws1');
    assert.deepEqual(u.events, ['answered:v=0\r\n', 'ended:NORMAL_CLEARING', 'done']);
  });

  test('a contact whose socket is already gone fails at once', async () => {
    const t = setup([binding(1, 'gone')]);
    await new Promise((resolve) => queueMicrotask(() => resolve(undefined)));
    assert.deepEqual(t.events, ['ended:NO_ANSWER', 'done']);
  });
});

describe('relay between two SIP sides', () => {
  test("a re-INVITE from the caller goes into the callee's dialog; its answer and an ACK come back", () => {
    const sent: Array<{ connectionId: string; message: SipMessage }> = [];
    const waiting = new Map<string, (response: SipResponse) => void>();
    const transport: SipTransport = {
      hostport: '127.0.0.1:7000',
      sendResponse: (connectionId, message) => void sent.push({ connectionId, message }),
      sendRequest: (connectionId, message, onResponse) => {
        sent.push({ connectionId, message });
        if (onResponse) waiting.set(branchOf(message), onResponse);
        return true;
      },
      connectionFor: () => undefined,
      log: () => {},
    };
    const caller = new InboundCall({ transport, invite: invite(), connectionId: 'wsA', onDone: () => {} });
    let signals: LegSignals | undefined;
    caller.originate(
      { originate: (r) => ((signals = r.signals), { callId: 'c-a', hangUp: () => {} }), addRinger: () => {} },
      { from: 'sip:alice@x', to: '+1' },
    );
    const ring = new OutboundRing({
      transport,
      bindings: [
        {
          aor: 'sip:bob@d',
          contact: '<sip:b@hb.invalid>',
          contactUri: 'sip:b@hb.invalid',
          kind: 'endpoint',
          connectionId: 'wsB',
          expiresAt: Date.now() + 60_000,
        },
      ],
      request: {
        callId: 'c-b',
        from: '+1',
        to: 'sip:bob@d',
        offer: caller.offer,
        signals: { answered: (sdp) => signals!.answered(sdp), ended: () => {} },
      },
      onBranch: () => {},
      onDone: () => {},
    });
    caller.peer = ring;
    ring.peer = caller;
    ring.start();
    const bInvite = itemAt(sent, 0).message as SipRequest;
    const lines = ['Via', 'From', 'Call-ID', 'CSeq'].map((name) => `${name}: ${getHeader(bInvite, name)}`).join('\r\n');
    ring.onResponse(
      parseSipMessage(
        `SIP/2.0 200 OK\r\n${lines}\r\nTo: <sip:bob@d>;tag=bt\r\nContact: <sip:b@hb.invalid>\r\nContent-Type: application/sdp\r\nContent-Length: 5\r\n\r\nv=0B1`,
      ) as SipResponse,
    );
    caller.onInDialogRequest(inDialog(caller, 'ACK'));
    sent.length = 0;

    const reinvite = parseSipMessage(serializeBody(inDialog(caller, 'INVITE'), 'v=0A2')) as SipRequest;
    caller.onInDialogRequest(reinvite);
    assert.equal(sent.length, 1);
    const toB = itemAt(sent, 0).message as SipRequest;
    assert.equal(itemAt(sent, 0).connectionId, 'wsB');
    assert.deepEqual(
      [toB.method, toB.uri, toB.body, getHeader(toB, 'CSeq')],
      ['INVITE', 'sip:b@hb.invalid', 'v=0A2', '2 INVITE'],
    );
    assert.match(getHeader(toB, 'To')!, /;tag=bt$/);

    const bLines = ['Via', 'From', 'To', 'Call-ID', 'CSeq']
      .map((name) => `${name}: ${getHeader(toB, name)}`)
      .join('\r\n');
    waiting.get(branchOf(toB))!(
      parseSipMessage(
        `SIP/2.0 200 OK\r\n${bLines}\r\nContent-Type: application/sdp\r\nContent-Length: 5\r\n\r\nv=0B2`,
      ) as SipResponse,
    );
    assert.deepEqual(
      sent.slice(1).map((s) => [s.connectionId, s.message.kind === 'request' ? s.message.method : s.message.status]),
      [
        ['wsB', 'ACK'],
        ['wsA', 200],
      ],
    );
    assert.equal(getHeader(itemAt(sent, 1).message, 'CSeq'), '2 ACK');
    assert.equal((itemAt(sent, 2).message as SipResponse).body, 'v=0B2');
    assert.equal(getHeader(itemAt(sent, 2).message, 'CSeq'), '7645 INVITE');
  });
});

/** The Via branch of a request the SIP side sent (it always sets one). */
function branchOf(message: SipMessage): string {
  const branch = /branch=([^;]+)/.exec(getHeader(message, 'Via') ?? '')?.[1];
  assert.ok(branch, 'a Via with a branch');
  return branch;
}

function serializeBody(request: SipRequest, body: string): string {
  const head = request.headers.map((h) => `${h.name}: ${h.value}`).join('\r\n');
  return `${request.method} ${request.uri} SIP/2.0\r\n${head}\r\nContent-Type: application/sdp\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
}
