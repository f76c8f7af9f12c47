import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { faultMatches, pathMatches } from '../../../sandbox/faults/fault-registry';
import { parseFaultSpec } from '../../../sandbox/faults/fault-spec';
import { faultAction } from '../../../sandbox/faults/fault-response';
import { parseBasicAuth } from '../../../sandbox/rest/basic-auth';
import { parseBody } from '../../../sandbox/rest/http-io';
import { compilePattern, matchPattern, splitPath } from '../../../sandbox/rest/route-pattern';
import { SandboxHttpError } from '../../../sandbox/errors';

describe('route patterns', () => {
  it('matches literal and :param segments and URL-decodes params', () => {
    const pattern = compilePattern('/v1/users/:userId/phoneNumbers/:number');
    assert.deepEqual(matchPattern(pattern, splitPath('/v1/users/u-1/phoneNumbers/%2B19195551212')), {
      userId: 'u-1',
      number: '+19195551212',
    });
    assert.equal(matchPattern(pattern, splitPath('/v1/users/u-1/phoneNumbers')), undefined);
    assert.equal(matchPattern(pattern, splitPath('/v1/users/u-1/applications/a-1')), undefined);
    assert.deepEqual(matchPattern(pattern, splitPath('/v1/users/u-1/phoneNumbers/n-1/')), {
      userId: 'u-1',
      number: 'n-1',
    });
  });

  it('refuses malformed percent-encoding with a 400', () => {
    const pattern = compilePattern('/v1/x/:id');
    assert.throws(
      () => matchPattern(pattern, splitPath('/v1/x/%E0%A4%A')),
      (e: unknown) => e instanceof SandboxHttpError && e.status === 400,
    );
  });

  it('rejects bad patterns at registration', () => {
    assert.throws(() => compilePattern('v1/x'));
    assert.throws(() => compilePattern('/v1/:'));
    assert.throws(() => compilePattern('/v1/:a-b'));
  });
});

describe('basic auth and bodies', () => {
  it('parses Basic credentials, allowing a colon in the secret', () => {
    const header = `Basic ${Buffer.from('t-1:se:cret').toString('base64')}`;
    assert.deepEqual(parseBasicAuth(header), { user: 't-1', password: 'se:cret' });
    assert.equal(parseBasicAuth(undefined), undefined);
    assert.equal(parseBasicAuth('Bearer x'), undefined);
    assert.equal(parseBasicAuth(`Basic ${Buffer.from('nocolon').toString('base64')}`), undefined);
  });

  it('parses JSON bodies and refuses broken declared JSON', () => {
    assert.deepEqual(parseBody(Buffer.from('{"a":1}'), 'application/json; charset=utf-8'), { a: 1 });
    assert.deepEqual(parseBody(Buffer.from('{"a":1}'), undefined), { a: 1 });
    assert.equal(parseBody(Buffer.from(''), 'application/json'), undefined);
    assert.equal(parseBody(Buffer.from('a=b'), 'application/x-www-form-urlencoded'), 'a=b');
    assert.equal(parseBody(Buffer.from('not json'), undefined), 'not json');
    assert.throws(
      () => parseBody(Buffer.from('{'), 'application/json'),
      (e: unknown) => e instanceof SandboxHttpError && e.status === 400,
    );
  });
});

describe('fault specs and matching', () => {
  it('normalises and validates a spec', () => {
    assert.deepEqual(parseFaultSpec({ path: '/v1/*', method: 'post' }), { path: '/v1/*', method: 'POST', count: 1 });
    assert.throws(() => parseFaultSpec({ path: '/v1/*', drop: 'yes' }), SandboxHttpError);
    assert.throws(() => parseFaultSpec({ path: '/v1/*', headers: { a: 1 } }), SandboxHttpError);
  });

  it('matches exact paths and * prefixes, method and family', () => {
    assert.ok(pathMatches('/v1/a', '/v1/a'));
    assert.ok(!pathMatches('/v1/a', '/v1/ab'));
    assert.ok(pathMatches('/v1/a*', '/v1/ab'));
    const target = { method: 'GET', path: '/v1/users/u/calls', decodedPath: '/v1/users/u/calls', family: 'calls' };
    assert.ok(faultMatches({ count: 1, family: 'calls' }, target));
    assert.ok(!faultMatches({ count: 1, family: 'calls', method: 'POST' }, target));
    assert.ok(!faultMatches({ count: 1, path: '/v1/users/u/domains' }, target));
  });

  it('turns presets into answers', () => {
    const base = { id: 'f-1', remaining: 0, hits: 1, count: 1, path: '/v1/*' };
    const limited = faultAction({ ...base, preset: 'rate-limit' }, 1_000);
    assert.equal(limited.response?.status, 429);
    assert.equal(limited.response?.headers?.['X-RateLimit-Reset'], '2000');
    assert.equal(faultAction({ ...base, preset: 'call-rate-limit' }, 0).response?.status, 403);
    assert.equal(faultAction({ ...base, preset: 'server-error' }, 0).response?.status, 500);
    const timeout = faultAction({ ...base, preset: 'timeout' }, 0);
    assert.ok(timeout.delayMs >= 10_000 && timeout.response === undefined);
    assert.equal(faultAction({ ...base, preset: 'timeout', delayMs: 5 }, 0).delayMs, 5);
    assert.deepEqual(faultAction({ ...base, delayMs: 50 }, 0), { delayMs: 50, drop: false });
    assert.equal(faultAction({ ...base, preset: 'rate-limit', status: 503 }, 0).response?.status, 503);
  });
});
