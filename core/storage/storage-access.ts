// How the app reaches its storage account (tables, and the static website it publishes the dialpad to): with a
// connection string (Azurite locally, or an account key), or in Azure with the Function App's managed identity
// and data-plane roles, so that no account key is needed anywhere (infra/README.md "Secrets and identity").
// The identity form reuses the Functions host's own setting, AzureWebJobsStorage__accountName (azure-functions.md
// §11.1): the host and the app then reach the same account the same way.
import type { TokenCredential } from '@azure/identity';

export type StorageAccess =
  | { readonly kind: 'connection-string'; readonly connectionString: string }
  | {
      readonly kind: 'identity';
      readonly accountName: string;
      /** https://<account>.table.core.windows.net, no trailing slash */
      readonly tableEndpoint: string;
      /** https://<account>.blob.core.windows.net, no trailing slash */
      readonly blobEndpoint: string;
    };

export const STORAGE_CONNECTION_SETTING = 'AzureWebJobsStorage';
export const STORAGE_ACCOUNT_SETTING = 'AzureWebJobsStorage__accountName';

/** Storage account names: 3–24 lowercase letters and digits (Azure's rule). */
export function isStorageAccountName(value: string): boolean {
  return /^[a-z0-9]{3,24}$/.test(value);
}

/**
 * The identity form for an account name. The public cloud's endpoints, as the Functions host derives them from
 * AzureWebJobsStorage__accountName.
 */
export function identityStorage(accountName: string): StorageAccess {
  return {
    kind: 'identity',
    accountName,
    tableEndpoint: `https://${accountName}.table.core.windows.net`,
    blobEndpoint: `https://${accountName}.blob.core.windows.net`,
  };
}

/**
 * What the environment names, without validating a connection string (the config loader does, with its
 * problems): the connection string when set, else the account name when valid, else undefined.
 */
export function storageAccessFromEnv(env: Record<string, string | undefined>): StorageAccess | undefined {
  const connectionString = env[STORAGE_CONNECTION_SETTING]?.trim();
  if (connectionString) return { kind: 'connection-string', connectionString };
  const accountName = env[STORAGE_ACCOUNT_SETTING]?.trim();
  if (accountName && isStorageAccountName(accountName)) return identityStorage(accountName);
  return undefined;
}

/** What a table or blob client needs: the connection string, or the endpoint and the app's credential. */
export type StorageClientAccess = { connectionString: string } | { endpoint: string; credential: TokenCredential };

export function clientAccess(storage: StorageAccess, service: 'table' | 'blob'): StorageClientAccess {
  if (storage.kind === 'connection-string') return { connectionString: storage.connectionString };
  return {
    endpoint: service === 'table' ? storage.tableEndpoint : storage.blobEndpoint,
    credential: appCredential(),
  };
}

let credential: TokenCredential | undefined;

/**
 * The app's Microsoft Entra credential, one per process so that its tokens are cached and shared. In Azure,
 * DefaultAzureCredential finds the Function App's managed identity; on a developer's machine pointed at a real
 * account, their `az login`. Required on first use, not at module load (cold start, as for the storage SDKs).
 */
export function appCredential(): TokenCredential {
  if (!credential) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, not at start (cold start; see above)
    const identity = require('@azure/identity') as typeof import('@azure/identity');
    credential = new identity.DefaultAzureCredential();
  }
  return credential;
}
