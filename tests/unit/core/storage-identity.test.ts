// Storage by managed identity: the table and blob clients ask the app's credential for a storage token before any
// request, and a credential that cannot get one (no identity, Entra down) is a storage fault with the code the
// callers already handle, not a crash. Nothing leaves the machine: the token fails before a request is sent, and
// the endpoint is a closed loopback port anyway.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';
import { isAppError } from '../../../core/errors';
import { publishDialpad } from '../../../core/static-site/publish-dialpad';
import { StaticSiteError } from '../../../core/static-site/static-site-error';
import { createAzureEntityTable } from '../../../core/storage/azure-entity-table';

/** A credential with no identity behind it, recording the scopes it was asked for. */
function failingCredential(): TokenCredential & { scopes: string[] } {
  const scopes: string[] = [];
  return {
    scopes,
    getToken(requested: string | string[], _options?: GetTokenOptions): Promise<AccessToken | null> {
      scopes.push(...(Array.isArray(requested) ? requested : [requested]));
      return Promise.reject(new Error('ManagedIdentityCredential: no identity endpoint'));
    },
  };
}

test('a table reached by identity asks for a storage token; no token is storage-unavailable', async () => {
  const credential = failingCredential();
  const table = createAzureEntityTable({
    endpoint: 'https://127.0.0.1:1/stvoiceref42',
    credential,
    tableName: 'vraUsers',
    timeoutMs: 3000,
  });
  await assert.rejects(
    table.get('p', 'r'),
    (error: unknown) => isAppError(error) && error.code === 'storage-unavailable',
  );
  assert.ok(credential.scopes.length > 0, 'the credential was asked');
  assert.ok(
    credential.scopes.every((scope) => scope === 'https://storage.azure.com/.default'),
    JSON.stringify(credential.scopes),
  );
});

test('publishing the dialpad by identity asks for a storage token; no token is a storage-unavailable publish error', async () => {
  const dialpadDir = await mkdtemp(join(tmpdir(), 'dialpad-identity-'));
  try {
    await writeFile(join(dialpadDir, 'index.html'), '<!doctype html><title>dialpad</title>');
    const credential = failingCredential();
    await assert.rejects(
      publishDialpad({
        endpoint: 'https://127.0.0.1:1/stvoiceref42',
        credential,
        dialpadDir,
        apiBaseUrl: 'https://voiceref.azurewebsites.net',
        storageOptions: { retryOptions: { maxTries: 1, tryTimeoutInMs: 3000 } },
      }),
      (error: unknown) => error instanceof StaticSiteError && error.code === 'storage-unavailable',
    );
    assert.ok(credential.scopes.includes('https://storage.azure.com/.default'), JSON.stringify(credential.scopes));
  } finally {
    await rm(dialpadDir, { recursive: true, force: true });
  }
});
