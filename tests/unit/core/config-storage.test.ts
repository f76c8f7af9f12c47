// Storage by connection string (Azurite, an account key) or by the Function App's managed identity, and Key
// Vault references App Service could not resolve: each accepted or refused with a problem naming the setting.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig, type ConfigResult } from '../../../core/config';
import { clientAccess, storageAccessFromEnv } from '../../../core/storage/storage-access';
import { TEST_ENV } from './support/test-config';

const problemsOf = (result: ConfigResult) => (result.ok ? [] : result.problems);

test('a connection string gives connection-string access, as before', () => {
  const result = loadConfig(TEST_ENV);
  assert.ok(result.ok);
  assert.deepEqual(result.config.storage, {
    kind: 'connection-string',
    connectionString: TEST_ENV.AzureWebJobsStorage,
  });
  assert.deepEqual(clientAccess(result.config.storage, 'table'), { connectionString: TEST_ENV.AzureWebJobsStorage });
});

test('AzureWebJobsStorage__accountName instead gives identity access on the account’s endpoints', () => {
  const env = { ...TEST_ENV, AzureWebJobsStorage: undefined, AzureWebJobsStorage__accountName: 'stvoiceref42' };
  const result = loadConfig(env);
  assert.ok(result.ok, JSON.stringify(problemsOf(result)));
  assert.deepEqual(result.config.storage, {
    kind: 'identity',
    accountName: 'stvoiceref42',
    tableEndpoint: 'https://stvoiceref42.table.core.windows.net',
    blobEndpoint: 'https://stvoiceref42.blob.core.windows.net',
  });
  const table = clientAccess(result.config.storage, 'table');
  assert.ok('endpoint' in table);
  assert.equal(table.endpoint, 'https://stvoiceref42.table.core.windows.net');
  assert.equal(typeof table.credential.getToken, 'function', 'an Entra token credential');
  const blob = clientAccess(result.config.storage, 'blob');
  assert.ok('endpoint' in blob && blob.endpoint === 'https://stvoiceref42.blob.core.windows.net');
  assert.equal(blob.credential, table.credential, 'one credential per process: its tokens are cached');
  assert.deepEqual(storageAccessFromEnv(env), result.config.storage);
});

test('neither, both, or a bad account name: a problem naming the setting', () => {
  const neither = problemsOf(loadConfig({ ...TEST_ENV, AzureWebJobsStorage: '' }));
  assert.deepEqual(
    neither.map((p) => p.setting),
    ['AzureWebJobsStorage'],
  );
  assert.match(neither[0]!.message, /is required: .*AzureWebJobsStorage__accountName/);

  const both = problemsOf(loadConfig({ ...TEST_ENV, AzureWebJobsStorage__accountName: 'stvoiceref42' }));
  assert.deepEqual(
    both.map((p) => p.setting),
    ['AzureWebJobsStorage'],
  );
  assert.match(both[0]!.message, /both set/);

  for (const name of ['st', 'St-Voice', 'a'.repeat(25)]) {
    const bad = problemsOf(
      loadConfig({ ...TEST_ENV, AzureWebJobsStorage: '', AzureWebJobsStorage__accountName: name }),
    );
    assert.deepEqual(
      bad.map((p) => p.setting),
      ['AzureWebJobsStorage__accountName'],
      name,
    );
    assert.equal(storageAccessFromEnv({ AzureWebJobsStorage__accountName: name }), undefined, name);
  }
});

test('an unresolved Key Vault reference is refused, never taken for the secret itself', () => {
  // App Service leaves the reference text in the setting when its identity cannot read the secret; as APP_SECRET
  // that text (public, and 32+ characters long) would otherwise pass for a key.
  const reference = '@Microsoft.KeyVault(SecretUri=https://kv-voiceref.vault.azure.net/secrets/app-secret/)';
  for (const name of ['APP_SECRET', 'CATAPULT_API_TOKEN', 'AzureWebJobsStorage', 'SIGNUP_CODE']) {
    const problems = problemsOf(loadConfig({ ...TEST_ENV, [name]: reference }));
    assert.ok(
      problems.some((p) => p.setting === name && /Key Vault reference .*Key Vault Secrets User/.test(p.message)),
      `${name}: ${JSON.stringify(problems)}`,
    );
    for (const p of problems) assert.ok(!p.message.includes('kv-voiceref'), 'the reference is not echoed');
  }
  // any case, as App Service reads it
  assert.equal(
    loadConfig({ ...TEST_ENV, APP_SECRET: reference.replace('Microsoft.KeyVault', 'microsoft.keyvault') }).ok,
    false,
  );
});
