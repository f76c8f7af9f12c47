// GET /api/health through the real functions: ok with the whole stack; 503 naming storage when
// Table Storage is down; 503 naming the bad settings when the config is invalid (and the other
// routes answer config-invalid instead of half-working).
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { startLocalHost } from '../../../dev/local-host';
import { callApi } from '../../support/api-client';
import { useStack } from '../../support/stack-fixture';

const fixture = useStack();

/** A loopback port with nothing listening: connections are refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function withoutPublicUrl(env: Record<string, string>): Record<string, string> {
  const { PUBLIC_BASE_URL: _ignored, ...rest } = env;
  return rest;
}

describe('GET /api/health', () => {
  it('answers 200 ok when config, storage and Catapult are fine', async () => {
    const res = await callApi(fixture.stack.apiUrl, 'GET', '/api/health');
    assert.equal(res.status, 200, JSON.stringify(res.json));
    assert.equal(res.json.status, 'ok');
    assert.equal(res.json.checks.config.ok, true);
    assert.equal(res.json.checks.storage.ok, true);
    assert.equal(res.json.checks.provider.ok, true);
    assert.equal(res.json.provider, 'catapult');
  });

  it('answers 503 degraded, naming storage, when Table Storage is down', async () => {
    const port = await closedPort();
    const env = withoutPublicUrl(fixture.stack.env);
    env.AzureWebJobsStorage = fixture.stack.storageConnectionString.replace(/127\.0\.0\.1:\d+/g, `127.0.0.1:${port}`);
    const host = await startLocalHost({ port: 0, env, log: () => undefined });
    try {
      const res = await callApi(host.url, 'GET', '/api/health');
      assert.equal(res.status, 503, JSON.stringify(res.json));
      assert.equal(res.json.status, 'degraded');
      assert.equal(res.json.checks.storage.ok, false);
      assert.equal(res.json.checks.storage.code, 'storage-unavailable');
      assert.equal(res.json.checks.config.ok, true);
      assert.ok(!JSON.stringify(res.json).includes('AccountKey'), 'no connection string in the answer');
    } finally {
      await host.close();
    }
  });

  it('answers 503 naming every bad setting, and other routes answer 500 config-invalid', async () => {
    const env = withoutPublicUrl(fixture.stack.env);
    delete env.CATAPULT_USER_ID;
    env.APP_SECRET = 'too-short';
    const host = await startLocalHost({ port: 0, env, log: () => undefined });
    try {
      const res = await callApi(host.url, 'GET', '/api/health');
      assert.equal(res.status, 503);
      assert.equal(res.json.checks.config.ok, false);
      assert.equal(res.json.checks.config.code, 'config-invalid');
      assert.match(res.json.checks.config.message, /CATAPULT_USER_ID/);
      assert.match(res.json.checks.config.message, /APP_SECRET/);
      assert.ok(!JSON.stringify(res.json).includes('too-short'), 'secret values are never echoed');

      const login = await callApi(host.url, 'POST', '/api/login', { body: { username: 'alice' } });
      assert.equal(login.status, 500);
      assert.equal(login.json.error.code, 'config-invalid');
    } finally {
      await host.close();
    }
  });
});
