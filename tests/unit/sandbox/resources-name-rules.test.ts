import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { domainNameProblem, endpointNameProblem, passwordProblem } from '../../../sandbox/model/name-rules';

describe('domain, endpoint and password rules', () => {
  it('domain names are lower-case RFC 1035 labels', () => {
    for (const ok of ['a', 'abc123def456ghi', 'a-b', '0abc', 'x'.repeat(63)])
      assert.equal(domainNameProblem(ok), undefined, ok);
    assert.match(domainNameProblem('MixedCase')!, /lower case/);
    for (const bad of ['', '-a', 'a-', 'a_b', 'a.b', 'x'.repeat(64), 'é'])
      assert.notEqual(domainNameProblem(bad), undefined, bad);
  });

  it('endpoint names are RFC 3261 user parts', () => {
    for (const ok of ['jsmith_mobile', 'John.Smith', '+19195551212', "a!~*'()&=+$,;?/", '%41b'])
      assert.equal(endpointNameProblem(ok), undefined, ok);
    for (const bad of ['', 'a b', 'a@b', 'a:b', '%4', 'x'.repeat(129), 'ü'])
      assert.notEqual(endpointNameProblem(bad), undefined, bad);
  });

  it('passwords are 6+ printable Latin-1 characters', () => {
    for (const ok of ['123456', 'pässwörd', 'with space']) assert.equal(passwordProblem(ok), undefined, ok);
    for (const bad of ['12345', 'snow☃man', 'tab\there', 'x'.repeat(129), '\u0085abcdef'])
      assert.notEqual(passwordProblem(bad), undefined, bad);
  });
});
