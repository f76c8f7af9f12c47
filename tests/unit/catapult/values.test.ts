// The small parsers: Location ids, Link headers, query encoding and value normalisation
// (docs/contracts/catapult-v1.md §1, §3, §9).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextLinkUrl } from '../../../core/catapult/link-header';
import { idFromLocation } from '../../../core/catapult/location-id';
import { applicationIdOf, normaliseSipUri, toBoolean, toOptionalNumber } from '../../../core/catapult/normalise';
import { buildQuery, pathSegment } from '../../../core/catapult/query-string';

describe('idFromLocation', () => {
  it('takes the last path segment of relative, absolute and trailing-slash locations', () => {
    assert.equal(idFromLocation('/v1/users/u-1/calls/c-abc'), 'c-abc');
    assert.equal(idFromLocation('https://api.catapult.inetwork.com/v1/users/u-1/phoneNumbers/n-xyz'), 'n-xyz');
    assert.equal(idFromLocation('/v1/users/u-1/domains/rd-1/endpoints/re-2/'), 're-2');
    assert.equal(idFromLocation('https://api.catapult.inetwork.com/v1/users/u-1/applications/a-1?x=1#y'), 'a-1');
    assert.equal(idFromLocation('  /v1/users/u-1/calls/c-space  '), 'c-space');
  });

  it('gives undefined when there is no id to take', () => {
    assert.equal(idFromLocation(undefined), undefined);
    assert.equal(idFromLocation(null), undefined);
    assert.equal(idFromLocation(''), undefined);
    assert.equal(idFromLocation('/'), undefined);
    assert.equal(idFromLocation('https://api.catapult.inetwork.com'), undefined);
  });
});

describe('nextLinkUrl', () => {
  const current = 'https://api.catapult.test/v1/users/u-1/applications?page=0&size=2';

  it('finds rel="next" among first/previous/next/last', () => {
    const header =
      '<https://api.catapult.test/v1/users/u-1/applications?page=0&size=2>; rel="first", ' +
      '<https://api.catapult.test/v1/users/u-1/applications?page=2&size=2>; rel="next", ' +
      '<https://api.catapult.test/v1/users/u-1/applications?page=5&size=2>; rel="last"';
    assert.equal(nextLinkUrl(header, current), 'https://api.catapult.test/v1/users/u-1/applications?page=2&size=2');
  });

  it("accepts single quotes, bare values and extra spaces (node-bandwidth's fixture style)", () => {
    assert.equal(nextLinkUrl("<https://h.test/v1/x?page=1>; rel='next'", current), 'https://h.test/v1/x?page=1');
    assert.equal(nextLinkUrl('<https://h.test/v1/x?page=3> ;  rel = next', current), 'https://h.test/v1/x?page=3');
    assert.equal(nextLinkUrl('<https://h.test/v1/x?page=4>; rel="last next"', current), 'https://h.test/v1/x?page=4');
  });

  it('gives undefined without a next link', () => {
    assert.equal(nextLinkUrl(null, current), undefined);
    assert.equal(nextLinkUrl('', current), undefined);
    assert.equal(
      nextLinkUrl('<https://h.test/v1/x?page=0>; rel="first", <https://h.test/v1/x?page=0>; rel="last"', current),
      undefined,
    );
    assert.equal(nextLinkUrl('<https://h.test/v1/x?page=0>; rel="nextish"', current), undefined);
  });

  it('resolves a relative next link against the current page', () => {
    assert.equal(
      nextLinkUrl('</v1/users/u-1/applications?page=1&size=2>; rel="next"', current),
      'https://api.catapult.test/v1/users/u-1/applications?page=1&size=2',
    );
  });
});

describe('query and path encoding', () => {
  it('percent-encodes ? and * in patterns and skips undefined values, keeping order', () => {
    assert.equal(
      buildQuery([
        ['pattern', '*2?9*'],
        ['quantity', 3],
        ['zip', undefined],
        ['inLocalCallingArea', false],
      ]),
      '?pattern=%2A2%3F9%2A&quantity=3&inLocalCallingArea=false',
    );
    assert.equal(
      buildQuery([
        ['city', 'Rocky Mount'],
        ['state', 'NC'],
      ]),
      '?city=Rocky%20Mount&state=NC',
    );
    assert.equal(buildQuery([['a', undefined]]), '');
  });

  it('encodes an E.164 number in a path as %2B and leaves ids alone', () => {
    assert.equal(pathSegment('+19195551212'), '%2B19195551212');
    assert.equal(pathSegment('n-abc123'), 'n-abc123');
    assert.equal(pathSegment('a/b'), 'a%2Fb');
  });
});

describe('value normalisation', () => {
  it('reads booleans and their string forms, falling back otherwise', () => {
    assert.equal(toBoolean(true, false), true);
    assert.equal(toBoolean('true', false), true);
    assert.equal(toBoolean('FALSE', true), false);
    assert.equal(toBoolean(' false ', true), false);
    assert.equal(toBoolean(undefined, true), true);
    assert.equal(toBoolean('yes', false), false);
    assert.equal(toBoolean(1, false), false);
  });

  it('reads numbers sent as strings', () => {
    assert.equal(toOptionalNumber('3600'), 3600);
    assert.equal(toOptionalNumber(10), 10);
    assert.equal(toOptionalNumber(''), undefined);
    assert.equal(toOptionalNumber('soon'), undefined);
  });

  it('gives sipUri its sip: scheme only when missing', () => {
    assert.equal(normaliseSipUri('jsmith@xyz.bwapp.bwsip.io'), 'sip:jsmith@xyz.bwapp.bwsip.io');
    assert.equal(normaliseSipUri('sip:jsmith@xyz.bwapp.bwsip.io'), 'sip:jsmith@xyz.bwapp.bwsip.io');
    assert.equal(normaliseSipUri('SIP:jsmith@xyz.bwapp.bwsip.io'), 'SIP:jsmith@xyz.bwapp.bwsip.io');
    assert.equal(normaliseSipUri('sips:jsmith@xyz.bwapp.bwsip.io'), 'sips:jsmith@xyz.bwapp.bwsip.io');
    assert.equal(normaliseSipUri(undefined), '');
  });

  it('takes applicationId directly or from the application URL', () => {
    assert.equal(applicationIdOf({ applicationId: 'a-1', application: '/v1/users/u/applications/a-2' }), 'a-1');
    assert.equal(
      applicationIdOf({ application: 'https://api.catapult.inetwork.com/v1/users/u/applications/a-2' }),
      'a-2',
    );
    assert.equal(applicationIdOf({}), undefined);
  });
});
