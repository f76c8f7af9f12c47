// Routing decisions of the sandbox SIP side: which handler a request goes to, which socket a `.invalid` host
// reaches, and which targets the SIP ringer takes from the call model.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Directory, EndpointRecord } from '../../../sandbox/context';
import { BindingStore, type Binding } from '../../../sandbox/sip/binding-store';
import { classifyRequest } from '../../../sandbox/sip/classify-request';
import { FlowTable } from '../../../sandbox/sip/flow-table';
import { parseNameAddr, parseSipUri, parseVia } from '../../../sandbox/sip/sip-header-values';
import { parseSipMessage, type SipRequest } from '../../../sandbox/sip/sip-message';
import { decideRing } from '../../../sandbox/sip/sip-ringer';
import { JSSIP_CANCEL, JSSIP_INVITE, JSSIP_REGISTER } from './sip-captured-messages';

const request = (text: string) => parseSipMessage(text) as SipRequest;
const inDialog = (method: string, toTag = true) =>
  request(
    `${method} sip:sandbox@127.0.0.1:1;transport=ws SIP/2.0\r\nVia: SIP/2.0/WS q.invalid;branch=z9hG4bK1\r\nFrom: <sip:a@b>;tag=f\r\n` +
      `To: <sip:c@d>${toTag ? ';tag=t' : ''}\r\nCall-ID: c\r\nCSeq: 2 ${method}\r\n\r\n`,
  );

describe('classifyRequest', () => {
  test('captured JsSIP requests', () => {
    assert.equal(classifyRequest(request(JSSIP_REGISTER)), 'register');
    assert.equal(classifyRequest(request(JSSIP_INVITE)), 'initial-invite');
    assert.equal(classifyRequest(request(JSSIP_CANCEL)), 'cancel');
  });

  test('in-dialog requests are recognised by the To tag', () => {
    for (const method of ['ACK', 'BYE', 'UPDATE', 'INFO', 'INVITE', 'OPTIONS'])
      assert.equal(classifyRequest(inDialog(method)), 'in-dialog', method);
    assert.equal(classifyRequest(inDialog('OPTIONS', false)), 'options');
    assert.equal(classifyRequest(inDialog('ACK', false)), 'ignore');
    assert.equal(classifyRequest(inDialog('BYE', false)), 'not-allowed');
    assert.equal(classifyRequest(inDialog('MESSAGE', false)), 'not-allowed');
    assert.equal(classifyRequest(inDialog('SUBSCRIBE')), 'not-allowed');
  });
});

describe('header values', () => {
  test('Via, Contact and URIs of captured messages', () => {
    const invite = request(JSSIP_INVITE);
    const via = parseVia(invite.headers.find((h) => h.name === 'Via')!.value)!;
    assert.equal(via.transport, 'WS');
    assert.match(via.host, /^[a-z0-9]+\.invalid$/);
    assert.equal(via.params.branch, 'z9hG4bK9844493');
    const contact = parseNameAddr(invite.headers.find((h) => h.name === 'Contact')!.value)!;
    const uri = parseSipUri(contact.uri)!;
    assert.equal(uri.params.transport, 'ws');
    assert.equal(uri.params.ob, '');
    assert.deepEqual(parseSipUri(invite.uri), {
      scheme: 'sip',
      user: '+19195550100',
      host: 'example.bwapp.bwsip.io',
      params: {},
    });
  });

  test('escaped users, ports, display names and bare URIs', () => {
    assert.deepEqual(parseSipUri('sip:%2B1555@Host.Example:5060;transport=WS'), {
      scheme: 'sip',
      user: '+1555',
      host: 'host.example',
      port: 5060,
      params: { transport: 'WS' },
    });
    assert.deepEqual(parseNameAddr('"Bob, Jr" <sip:bob@x>;tag=9'), {
      display: 'Bob, Jr',
      uri: 'sip:bob@x',
      params: { tag: '9' },
    });
    assert.deepEqual(parseNameAddr('sip:bob@x;tag=9'), { uri: 'sip:bob@x', params: { tag: '9' } });
    assert.equal(parseNameAddr('not a uri'), undefined);
    assert.equal(parseSipUri('tel:+1555'), undefined);
  });
});

describe('FlowTable', () => {
  test('learns only .invalid hosts, and forgets them with their connection', () => {
    const flows = new FlowTable();
    const sent: string[] = [];
    flows.add({ id: 'ws1', send: (t) => sent.push(t) });
    flows.add({ id: 'ws2', send: () => {} });
    flows.learn('AbC.invalid', 'ws1');
    flows.learn('example.com', 'ws1');
    flows.learn('other.invalid', 'ws-unknown');
    assert.equal(flows.byHost('abc.INVALID')?.id, 'ws1');
    assert.equal(flows.byHost('example.com'), undefined, 'a real host name is never captured by a socket');
    assert.equal(flows.byHost('other.invalid'), undefined, 'hosts of unknown connections are ignored');
    flows.learn('abc.invalid', 'ws2'); // the same UA reconnected on a new socket
    assert.equal(flows.byHost('abc.invalid')?.id, 'ws2');
    flows.remove('ws2');
    assert.equal(flows.byHost('abc.invalid'), undefined);
    assert.equal(flows.size, 1);
  });
});

describe('decideRing', () => {
  const endpoint = (name: string, enabled = true): EndpointRecord => ({
    id: `re-${name}`,
    userId: 'u',
    domainId: 'rd',
    domainName: 'dom',
    name,
    enabled,
    password: 'p',
    realm: 'dom.bwapp.bwsip.io',
    sipUri: `sip:${name}@dom.bwapp.bwsip.io`,
  });
  const endpoints = [endpoint('alice'), endpoint('bob'), endpoint('off', false)];
  const directory: Directory = {
    findNumber: () => undefined,
    getApplication: () => undefined,
    findEndpoint: (name, realm) => endpoints.find((e) => e.name === name && e.realm === realm.toLowerCase()),
    findEndpointByToken: () => undefined,
    getAccount: () => undefined,
  };
  const clock = 1000;
  const bindings = new BindingStore(() => clock);
  const bind = (aor: string, kind: Binding['kind'], contactUri: string, expiresAt = clock + 60_000) =>
    bindings.upsert({ aor, contact: `<${contactUri}>`, contactUri, kind, connectionId: 'ws1', expiresAt });
  bind('sip:alice@dom.bwapp.bwsip.io', 'endpoint', 'sip:a1@x.invalid;transport=ws');
  bind('sip:alice@dom.bwapp.bwsip.io', 'endpoint', 'sip:a2@y.invalid;transport=ws');
  bind('sip:off@dom.bwapp.bwsip.io', 'endpoint', 'sip:o@z.invalid;transport=ws');
  bind('sip:+13125550100@pstn.sandbox.invalid', 'outside-phone', 'sip:p@w.invalid;transport=ws');
  bind('sip:bob@dom.bwapp.bwsip.io', 'endpoint', 'sip:b@v.invalid;transport=ws', clock); // already expired

  const ringOf = (to: string) => {
    const decision = decideRing(directory, bindings, to);
    return decision.kind === 'ring' ? decision.bindings.map((b) => b.contactUri) : decision;
  };

  test('an endpoint with two registered clients rings both (case-insensitive host)', () => {
    assert.deepEqual(ringOf('sip:alice@DOM.bwapp.bwsip.io'), [
      'sip:a1@x.invalid;transport=ws',
      'sip:a2@y.invalid;transport=ws',
    ]);
  });

  test('unregistered or expired endpoints pass to the simulated endpoint; unknown ones pass too', () => {
    assert.deepEqual(ringOf('sip:bob@dom.bwapp.bwsip.io'), { kind: 'pass' });
    assert.deepEqual(ringOf('sip:nobody@dom.bwapp.bwsip.io'), { kind: 'pass' });
    assert.deepEqual(ringOf('sip:someone@elsewhere.example'), { kind: 'pass' });
  });

  test('a disabled endpoint is rejected even if a client is still registered', () => {
    assert.deepEqual(ringOf('sip:off@dom.bwapp.bwsip.io'), { kind: 'reject', cause: 'CALL_REJECTED' });
  });

  test('numbers ring an outside-phone page only when one is registered for them', () => {
    assert.deepEqual(ringOf('+13125550100'), ['sip:p@w.invalid;transport=ws']);
    assert.deepEqual(ringOf('sip:+13125550100@pstn.sandbox.invalid'), ['sip:p@w.invalid;transport=ws']);
    assert.deepEqual(ringOf('+13125550101'), { kind: 'pass' }, 'the tone phone takes it');
    assert.deepEqual(ringOf('13125550100'), { kind: 'pass' });
  });
});
