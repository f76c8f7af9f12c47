// The dialpad's local static server: files with their content types, config.json read per request,
// nothing outside the root (encoded ../ included), read-only methods.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startStaticServer, type StaticServer } from '../../../dev/static-server';

let root: string;
let server: StaticServer;
let apiBaseUrl = 'http://127.0.0.1:1';

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'vra-static-'));
  await writeFile(join(root, 'index.html'), '<!doctype html><title>dialpad</title>');
  await writeFile(join(root, 'app-abc123.js'), 'console.log(1)');
  server = await startStaticServer({ root, port: 0, clientConfig: () => ({ apiBaseUrl }) });
});
after(async () => {
  await server.close();
  await rm(root, { recursive: true, force: true });
});

/** A raw request, so the path reaches the server exactly as written (fetch would normalise ../). */
function rawGet(path: string, method = 'GET'): Promise<{ status: number; type?: string; body: string }> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('static dialpad server', () => {
  it('serves index.html for / and files with their content type', async () => {
    const index = await rawGet('/');
    assert.equal(index.status, 200);
    assert.match(index.type ?? '', /text\/html/);
    assert.match(index.body, /dialpad/);
    const script = await rawGet('/app-abc123.js');
    assert.match(script.type ?? '', /javascript/);
  });

  it('answers config.json from the current API URL', async () => {
    apiBaseUrl = 'http://127.0.0.1:7071';
    const res = await rawGet('/config.json');
    assert.deepEqual(JSON.parse(res.body), { apiBaseUrl: 'http://127.0.0.1:7071' });
  });

  it('never serves files outside its root', async () => {
    for (const path of ['/../package.json', '/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2fetc%2fpasswd']) {
      const res = await rawGet(path);
      assert.ok(res.status === 404 || res.status === 400, `${path} → ${res.status}`);
      assert.ok(!res.body.includes('root:'), path);
    }
    assert.equal((await rawGet('/missing.js')).status, 404);
  });

  it('refuses writes', async () => {
    assert.equal((await rawGet('/index.html', 'POST')).status, 405);
  });
});
