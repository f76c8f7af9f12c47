// The other ways to run the stack: against "real" Catapult credentials (here a sandbox started on its
// own, standing in for api.catapult.inetwork.com), where the stack must start no sandbox of its own;
// and the compiled dist/ (what `func start` and Azure load, built here into a temporary folder) served by the
// local host.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { startLocalHost } from '../../../dev/local-host';
import { startStack } from '../../../dev/stack';
import { createSandbox } from '../../../sandbox/server';
import { callApi } from '../../support/api-client';
import { buildCompiledApp, type CompiledApp } from '../../support/compiled-app';
import { SandboxControl } from '../../support/sandbox-control';

describe('stack with Catapult credentials from the environment', () => {
  it('uses them as given and starts no sandbox', async () => {
    const catapult = await createSandbox({ port: 0 });
    const stack = await startStack({
      catapultEnv: {
        CATAPULT_USER_ID: catapult.account.userId,
        CATAPULT_API_TOKEN: catapult.account.apiToken,
        CATAPULT_API_SECRET: catapult.account.apiSecret,
        CATAPULT_API_URL: catapult.apiUrl,
        CATAPULT_SIP_WEBSOCKET_URL: catapult.websocketUrl,
      },
    });
    try {
      assert.equal(stack.sandbox, undefined);
      assert.equal(stack.env.CATAPULT_API_URL, catapult.apiUrl);
      const res = await callApi(stack.apiUrl, 'GET', '/api/numbers?areaCode=919&quantity=1');
      assert.equal(res.status, 200, JSON.stringify(res.json));
      const searched = await new SandboxControl(catapult.baseUrl).count('GET', /^\/v1\/availableNumbers\/local$/);
      assert.ok(searched >= 1, 'the search reached the given Catapult');
    } finally {
      await stack.stop();
      await catapult.close();
    }
  });
});

describe('compiled Function App', () => {
  let built: CompiledApp | undefined;
  after(() => built?.remove());

  it('serves the same API from dist/ (npm run build, here into a temporary folder)', async () => {
    built = await buildCompiledApp();
    const stack = await startStack();
    const env = { ...stack.env };
    delete env.PUBLIC_BASE_URL;
    const host = await startLocalHost({ port: 0, env, compiled: true, compiledRoot: built.root, log: () => undefined });
    try {
      const health = await callApi(host.url, 'GET', '/api/health');
      assert.equal(health.status, 200, JSON.stringify(health.json));
      const login = await callApi(host.url, 'POST', '/api/login', { body: { username: 'nobody-here' } });
      assert.equal(login.status, 404, 'AppError from the compiled core maps through the compiled mapper');
      assert.equal(login.json.error.code, 'user-not-found');
    } finally {
      await host.close();
      await stack.stop();
    }
  });
});
