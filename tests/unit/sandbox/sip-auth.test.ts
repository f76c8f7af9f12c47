// Digest (RFC 2617 MD5 qop=auth) checked against JsSIP's own client implementation, and the registrar's
// decisions (challenge, token, wrong password, Contact echo, unregister) on captured JsSIP REGISTERs.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Directory, EndpointRecord } from '../../../sandbox/context';
import { BindingStore } from '../../../sandbox/sip/binding-store';
import { DigestAuthenticator, readDigestCredentials } from '../../../sandbox/sip/digest-auth';
import { FlowTable } from '../../../sandbox/sip/flow-table';
import { handleRegister, type RegistrarDeps } from '../../../sandbox/sip/registrar';
import { parseDigestParams, parseNameAddr } from '../../../sandbox/sip/sip-header-values';
import { getHeader, getHeaders, parseSipMessage, type SipRequest } from '../../../sandbox/sip/sip-message';
import { single } from '../../support/list-items';
import { JSSIP_REGISTER } from './sip-captured-messages';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const DigestAuthentication = require('jssip/lib/DigestAuthentication') as new (credentials: object) => any;

const REALM = 'example.bwapp.bwsip.io';

/** What JsSIP puts in Authorization after a challenge (its real code path). */
function jssipAuthorization(
  challengeHeader: string,
  request: { method: string; uri: string },
  password: string,
  username = 'alice',
) {
  const challenge = parseDigestParams(challengeHeader)!;
  const digest = new DigestAuthentication({ username, password, realm: challenge.realm });
  const ok = digest.authenticate(
    { method: request.method, ruri: request.uri, body: '' },
    {
      algorithm: challenge.algorithm,
      realm: challenge.realm,
      nonce: challenge.nonce,
      qop: challenge.qop,
      stale: challenge.stale === 'true',
    },
  );
  assert.equal(ok, true);
  return digest.toString() as string;
}

describe('DigestAuthenticator', () => {
  let clock = 1_000_000;
  const auth = new DigestAuthenticator(() => clock);
  const expected = { realm: REALM, password: 's3cret-password', method: 'REGISTER' };
  const request = { method: 'REGISTER', uri: `sip:${REALM}` };

  test("accepts JsSIP's answer to its challenge", () => {
    const header = jssipAuthorization(auth.challenge(REALM), request, expected.password);
    assert.deepEqual(auth.verify(readDigestCredentials(header)!, expected), { ok: true });
  });

  test('rejects a wrong password, a wrong realm, and a method the response was not made for', () => {
    const wrong = jssipAuthorization(auth.challenge(REALM), request, 'guess');
    assert.deepEqual(auth.verify(readDigestCredentials(wrong)!, expected), { ok: false, reason: 'bad-response' });
    const right = readDigestCredentials(jssipAuthorization(auth.challenge(REALM), request, expected.password))!;
    assert.deepEqual(auth.verify(right, { ...expected, realm: 'other.bwapp.bwsip.io' }), {
      ok: false,
      reason: 'realm-mismatch',
    });
    assert.deepEqual(auth.verify(right, { ...expected, method: 'INVITE' }), { ok: false, reason: 'bad-response' });
  });

  test('a nonce it never issued, or one older than five minutes, is stale', () => {
    const header = jssipAuthorization(
      'Digest realm="example.bwapp.bwsip.io", nonce="madeup", qop="auth"',
      request,
      expected.password,
    );
    assert.deepEqual(auth.verify(readDigestCredentials(header)!, expected), { ok: false, reason: 'stale-nonce' });
    const old = readDigestCredentials(jssipAuthorization(auth.challenge(REALM), request, expected.password))!;
    clock += 5 * 60_000 + 1;
    assert.deepEqual(auth.verify(old, expected), { ok: false, reason: 'stale-nonce' });
  });

  test('challenge header carries realm, MD5, qop=auth and a fresh nonce', () => {
    const a = parseDigestParams(auth.challenge(REALM))!;
    const b = parseDigestParams(auth.challenge(REALM, true))!;
    assert.equal(a.realm, REALM);
    assert.equal(a.algorithm, 'MD5');
    assert.equal(a.qop, 'auth');
    assert.notEqual(a.nonce, b.nonce);
    assert.equal(b.stale, 'true');
  });
});

describe('handleRegister', () => {
  const alice: EndpointRecord = {
    id: 're-alice',
    userId: 'u-1',
    domainId: 'rd-1',
    domainName: 'example',
    name: 'alice',
    enabled: true,
    password: 's3cret-password',
    realm: REALM,
    sipUri: `sip:alice@${REALM}`,
    applicationId: 'a-1',
  };
  const tokens = new Map([['tok-alice', alice]]);
  const directory: Directory = {
    findNumber: (n) => (n === '+19195550100' ? { userId: 'u-1', numberId: 'n-1', number: n } : undefined),
    getApplication: () => undefined,
    findEndpoint: (name, realm) => (name === alice.name && realm.toLowerCase() === REALM ? alice : undefined),
    findEndpointByToken: (token) => tokens.get(token),
    getAccount: () => undefined,
  };
  const clock = 5_000_000;
  const deps = (): RegistrarDeps => {
    const flows = new FlowTable();
    flows.add({ id: 'ws1', send: () => {} });
    return {
      directory,
      digest: new DigestAuthenticator(() => clock),
      bindings: new BindingStore(() => clock),
      flows,
      now: () => clock,
      log: () => {},
      newTag: () => 'tag1',
    };
  };
  const register = (edit: (text: string) => string = (t) => t) => parseSipMessage(edit(JSSIP_REGISTER)) as SipRequest;
  const withHeader = (name: string, value: string) => (text: string) =>
    text.replace('\r\nContent-Length', `\r\n${name}: ${value}\r\nContent-Length`);

  test("no credentials → 401 with a challenge for the endpoint realm; JsSIP's answer → 200 echoing the Contact", () => {
    const d = deps();
    const first = handleRegister(d, register(), 'ws1');
    assert.equal(first.status, 401);
    const challenge = getHeader(first, 'WWW-Authenticate')!;
    assert.equal(parseDigestParams(challenge)!.realm, REALM);
    const authorization = jssipAuthorization(challenge, { method: 'REGISTER', uri: `sip:${REALM}` }, alice.password);
    const second = handleRegister(d, register(withHeader('Authorization', authorization)), 'ws1');
    assert.equal(second.status, 200);
    const contact = single(getHeaders(second, 'Contact'), 'Contact');
    const sent = parseNameAddr(getHeader(register(), 'Contact')!)!;
    const echoed = parseNameAddr(contact)!;
    assert.equal(echoed.uri, sent.uri);
    assert.equal(echoed.params['+sip.instance'], sent.params['+sip.instance']);
    assert.equal(echoed.params['reg-id'], '1');
    assert.equal(echoed.params.expires, '600');
    assert.match(getHeader(second, 'To')!, /;tag=tag1$/);
    assert.equal(d.bindings.list(`sip:alice@${REALM}`).length, 1);
    const contactHost = echoed.uri.replace(/^[^@]*@/, '').replace(/;.*$/, '');
    assert.ok(d.flows.byHost(contactHost), 'contact host learnt');
  });

  test('a wrong password is 403, not another challenge', () => {
    const d = deps();
    const challenge = getHeader(handleRegister(d, register(), 'ws1'), 'WWW-Authenticate')!;
    const authorization = jssipAuthorization(challenge, { method: 'REGISTER', uri: `sip:${REALM}` }, 'wrong');
    const response = handleRegister(d, register(withHeader('Authorization', authorization)), 'ws1');
    assert.equal(response.status, 403);
    assert.deepEqual(d.bindings.all(), []);
  });

  test('X-Callsign-Token: its own AOR → 200; unknown token → 403', () => {
    const d = deps();
    assert.equal(handleRegister(d, register(withHeader('X-Callsign-Token', 'tok-alice')), 'ws1').status, 200);
    const bad = handleRegister(d, register(withHeader('X-Callsign-Token', 'nope')), 'ws1');
    assert.equal(bad.status, 403);
    assert.equal(bad.reason, 'Invalid Or Expired Token');
  });

  test('expires=0 removes the binding; Contact * needs Expires: 0', () => {
    const d = deps();
    handleRegister(d, register(withHeader('X-Callsign-Token', 'tok-alice')), 'ws1');
    assert.equal(d.bindings.all().length, 1);
    const star = (expires: string) => (text: string) =>
      withHeader(
        'X-Callsign-Token',
        'tok-alice',
      )(text)
        .replace(/Contact: .*\r\n/, 'Contact: *\r\n')
        .replace('Expires: 600', `Expires: ${expires}`);
    assert.equal(handleRegister(d, register(star('600')), 'ws1').status, 400);
    assert.equal(handleRegister(d, register(star('0')), 'ws1').status, 200);
    assert.deepEqual(d.bindings.all(), []);
    handleRegister(d, register(withHeader('X-Callsign-Token', 'tok-alice')), 'ws1');
    const zero = handleRegister(
      d,
      register((t) => withHeader('X-Callsign-Token', 'tok-alice')(t).replace(';expires=600', ';expires=0')),
      'ws1',
    );
    assert.equal(zero.status, 200);
    assert.deepEqual(getHeaders(zero, 'Contact'), []);
    assert.deepEqual(d.bindings.all(), []);
  });

  test('outside phones: E.164 users only, never a sandbox-owned number', () => {
    const d = deps();
    const asPhone = (user: string) => (text: string) =>
      text.replaceAll(`sip:alice@${REALM}`, `sip:${user}@pstn.sandbox.invalid`);
    assert.equal(handleRegister(d, register(asPhone('+13125550100')), 'ws1').status, 200);
    assert.equal(single(d.bindings.all(), 'binding').kind, 'outside-phone');
    assert.equal(handleRegister(d, register(asPhone('bob')), 'ws1').status, 404);
    assert.equal(handleRegister(d, register(asPhone('+19195550100')), 'ws1').status, 403);
  });
});
