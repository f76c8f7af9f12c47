// The whole stack with the dialpad on its own origin: the dialpad is served with /config.json naming
// the API, and the API allows exactly the dialpad's origin (CORS), preflight included.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { callApi } from '../../support/api-client';
import { useStack } from '../../support/stack-fixture';

const fixture = useStack({ web: true });

describe('dialpad origin and CORS', () => {
  it('serves the dialpad and a config.json that points at the API, on another port', async () => {
    const { webUrl, apiUrl } = fixture.stack;
    assert.ok(webUrl);
    assert.notEqual(new URL(webUrl).port, new URL(apiUrl).port);
    const index = await fetch(`${webUrl}/`);
    assert.equal(index.status, 200);
    assert.match(index.headers.get('content-type') ?? '', /text\/html/);
    const config = await callApi(webUrl, 'GET', '/config.json');
    assert.deepEqual(config.json, { apiBaseUrl: apiUrl });
    assert.equal((await fetch(`${webUrl}/../package.json`)).status, 404);
  });

  it('allows the dialpad origin and no other', async () => {
    const { webUrl, apiUrl } = fixture.stack;
    const allowed = await callApi(apiUrl, 'GET', '/api/health', { headers: { origin: webUrl! } });
    assert.equal(allowed.headers.get('access-control-allow-origin'), webUrl);
    const other = await callApi(apiUrl, 'GET', '/api/health', { headers: { origin: 'http://127.0.0.1:1' } });
    assert.equal(other.headers.get('access-control-allow-origin'), null);
  });

  it('answers the dialpad’s preflight for an authenticated POST', async () => {
    const { webUrl, apiUrl } = fixture.stack;
    const res = await callApi(apiUrl, 'OPTIONS', '/api/me/webrtc-token', {
      headers: {
        origin: webUrl!,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization',
      },
    });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), webUrl);
    assert.match(res.headers.get('access-control-allow-headers') ?? '', /Authorization/);
  });
});
