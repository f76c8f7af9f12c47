// The Web PubSub stand-in's token check: HS256 with the access key, audience, expiry. Tokens are signed here
// with node:crypto directly, so the check is tested against the JWT format, not against itself.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { verifyAccessToken } from '../../../dev/web-pubsub/access-token';

const KEY = 'c2VjcmV0LWtleS1mb3ItdGhlLXN0YW5kLWluLXRlc3Rz';
const AUD = 'http://127.0.0.1:5000/client/hubs/calls';
const NOW = 1_800_000_000;

function part(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
function sign(claims: Record<string, unknown>, options: { key?: string; header?: Record<string, unknown> } = {}) {
  const unsigned = `${part(options.header ?? { alg: 'HS256', typ: 'JWT' })}.${part(claims)}`;
  return `${unsigned}.${createHmac('sha256', options.key ?? KEY)
    .update(unsigned)
    .digest('base64url')}`;
}

describe('Web PubSub stand-in: access tokens', () => {
  it('accepts a token signed with the key, for this audience, not expired, and returns its claims', () => {
    const check = verifyAccessToken(sign({ aud: AUD, exp: NOW + 60, sub: 'alice' }), KEY, AUD, NOW);
    assert.equal(check.ok, true);
    assert.equal(check.ok && check.claims.sub, 'alice');
  });

  it('accepts an audience list that contains the audience', () => {
    assert.equal(verifyAccessToken(sign({ aud: ['x', AUD], exp: NOW + 60 }), KEY, AUD, NOW).ok, true);
  });

  const refused: Array<[string, string | undefined, string]> = [
    ['no token', undefined, 'token-missing'],
    ['two parts', 'abc.def', 'token-malformed'],
    ['not JSON', 'abc.def.ghi', 'token-malformed'],
    ['another key', sign({ aud: AUD, exp: NOW + 60 }, { key: 'other' }), 'token-signature'],
    ['alg none', sign({ aud: AUD, exp: NOW + 60 }, { header: { alg: 'none' } }), 'token-algorithm'],
    ['another audience', sign({ aud: `${AUD}x`, exp: NOW + 60 }), 'token-audience'],
    ['no audience', sign({ exp: NOW + 60 }), 'token-audience'],
    ['no expiry', sign({ aud: AUD }), 'token-expired'],
    ['expired this second', sign({ aud: AUD, exp: NOW }), 'token-expired'],
    ['not valid yet', sign({ aud: AUD, exp: NOW + 60, nbf: NOW + 10 }), 'token-not-yet-valid'],
  ];
  for (const [name, token, problem] of refused) {
    it(`refuses ${name} (${problem})`, () => {
      const check = verifyAccessToken(token, KEY, AUD, NOW);
      assert.equal(check.ok, false);
      assert.equal(!check.ok && check.problem, problem);
    });
  }

  it('refuses a token whose payload was changed after signing', () => {
    const [header, , signature] = sign({ aud: AUD, exp: NOW + 60, sub: 'alice' }).split('.');
    const forged = `${header}.${part({ aud: AUD, exp: NOW + 60, sub: 'bob' })}.${signature}`;
    assert.equal(verifyAccessToken(forged, KEY, AUD, NOW).ok, false);
  });
});
