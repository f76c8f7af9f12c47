// Route templates as the Functions host reads them: prefix, parameters, optional and catch-all
// segments, int constraints, URL-decoding.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileRoute } from '../../../dev/route-matcher';

describe('compileRoute', () => {
  it('matches literal routes under the prefix, case-insensitively and with a trailing slash', () => {
    const route = compileRoute('api', 'me/sip');
    assert.deepEqual(route.match('/api/me/sip'), {});
    assert.deepEqual(route.match('/API/Me/Sip/'), {});
    assert.equal(route.match('/api/me'), undefined);
    assert.equal(route.match('/me/sip'), undefined);
    assert.equal(route.match('/api/me/sip/x'), undefined);
  });

  it('decodes parameters (%2B → +)', () => {
    assert.deepEqual(compileRoute('api', 'numbers/{number}').match('/api/numbers/%2B19195551212'), {
      number: '+19195551212',
    });
  });

  it('supports optional, int-constrained and catch-all parameters', () => {
    const optional = compileRoute('api', 'chats/{id?}');
    assert.deepEqual(optional.match('/api/chats'), {});
    assert.deepEqual(optional.match('/api/chats/7'), { id: '7' });
    const int = compileRoute('api', 'calls/{n:int}');
    assert.deepEqual(int.match('/api/calls/42'), { n: '42' });
    assert.equal(int.match('/api/calls/abc'), undefined);
    assert.deepEqual(compileRoute('', 'static/{*path}').match('/static/a/b.js'), { path: 'a/b.js' });
  });

  it('keeps a malformed escape as it is rather than failing', () => {
    assert.deepEqual(compileRoute('api', 'x/{id}').match('/api/x/%E0%A4'), { id: '%E0%A4' });
  });
});
