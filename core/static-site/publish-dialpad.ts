// Publishes the dialpad bundled in the release to the storage account's static website ($web), with
// a config.json telling it where the API is. ARM cannot enable the static website (a data-plane
// setting), so the Function App does it itself on start (see infra/README.md "Static website"); by identity that
// takes the custom role of azure-functions.md §11.5.
// Its CSP names this deployment's API and SIP WebSocket origins (dialpad-csp.ts).
// Idempotent and cheap when nothing changed: index.html carries a digest of everything published and
// is uploaded LAST, so an interrupted publish is simply redone on the next start.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { BlobServiceClient, StoragePipelineOptions } from '@azure/storage-blob';
import type { ClientConfig } from '../api-types';
import type { StorageClientAccess } from '../storage/storage-access';
import { noopLogger, type Logger } from '../log';
import { cacheControlFor, contentTypeFor } from './content-type';
import { withConnectOrigins } from './dialpad-csp';
import { StaticSiteError, storageFailure } from './static-site-error';

export const WEB_CONTAINER = '$web';
export const INDEX_DOCUMENT = 'index.html';
export const CLIENT_CONFIG_FILE = 'config.json';
/** Blob metadata key on index.html holding the digest of the published release. */
export const DIGEST_METADATA_KEY = 'dialpaddigest';

/**
 * The account whose static website serves the dialpad: AzureWebJobsStorage's connection string, or its blob
 * endpoint and the app's Entra credential (core/storage/storage-access.ts).
 */
export type PublishDialpadOptions = StorageClientAccess & {
  /** Folder holding the built dialpad (web/build.ts output; `dialpad/` in the release zip). */
  dialpadDir: string;
  /** PUBLIC_BASE_URL: written to config.json as apiBaseUrl, without a trailing slash. */
  apiBaseUrl: string;
  /**
   * The other URLs the dialpad connects to (the SIP WebSocket): their origins and the API's become index.html's
   * connect-src (dialpad-csp.ts), so the policy names exactly this deployment's servers.
   */
  connectUrls?: readonly string[];
  logger?: Logger;
  /** SDK pipeline options (retries, timeouts); tests shorten them. */
  storageOptions?: StoragePipelineOptions;
};

export interface PublishDialpadResult {
  status: 'published' | 'unchanged';
  /** Blob names in upload order (index.html last). */
  files: string[];
  digest: string;
}

/** The SDK retries 5xx, 429 and timeouts itself; these bounds keep a start-up publish from hanging. */
const DEFAULT_STORAGE_OPTIONS: StoragePipelineOptions = {
  retryOptions: { maxTries: 4, tryTimeoutInMs: 30_000, retryDelayInMs: 500, maxRetryDelayInMs: 5_000 },
};

export async function publishDialpad(options: PublishDialpadOptions): Promise<PublishDialpadResult> {
  const logger = options.logger ?? noopLogger;
  const files = await readDialpad(options.dialpadDir, options.apiBaseUrl, options.connectUrls ?? []);
  const digest = digestOf(files);

  const sdk = loadStorageBlob();
  let service: BlobServiceClient;
  const pipeline = options.storageOptions ?? DEFAULT_STORAGE_OPTIONS;
  try {
    service =
      'connectionString' in options
        ? sdk.BlobServiceClient.fromConnectionString(options.connectionString, pipeline)
        : new sdk.BlobServiceClient(options.endpoint, options.credential, pipeline);
  } catch (error) {
    // a malformed connection string; the SDK's message may quote it, so it is not passed on
    throw new StaticSiteError(
      'storage-rejected',
      'Publishing the dialpad failed: AzureWebJobsStorage is not a valid connection string.',
      {
        cause: error instanceof Error ? new Error(error.name) : undefined,
      },
    );
  }
  const container = service.getContainerClient(WEB_CONTAINER);
  const index = container.getBlockBlobClient(INDEX_DOCUMENT);

  const published = await step('reading the published index.html', async () => {
    try {
      return (await index.getProperties()).metadata?.[DIGEST_METADATA_KEY];
    } catch (error) {
      if (isStatus(error, 404)) return undefined;
      throw error;
    }
  });
  if (published === digest) {
    logger.info('dialpad already published', { digest });
    return { status: 'unchanged', files: [], digest };
  }

  await step('enabling the static website', () =>
    service.setProperties({
      // 404s fall back to the app shell: the dialpad is a single page
      staticWebsite: { enabled: true, indexDocument: INDEX_DOCUMENT, errorDocument404Path: INDEX_DOCUMENT },
    }),
  );
  await step('creating the $web container', () => container.createIfNotExists());

  const ordered = [...files.keys()].sort(
    (a, b) => Number(a === INDEX_DOCUMENT) - Number(b === INDEX_DOCUMENT) || (a < b ? -1 : a > b ? 1 : 0),
  );
  for (const name of ordered) {
    const data = files.get(name)!;
    await step(`uploading ${name}`, () =>
      container.getBlockBlobClient(name).uploadData(data, {
        blobHTTPHeaders: { blobContentType: contentTypeFor(name), blobCacheControl: cacheControlFor(name) },
        metadata: name === INDEX_DOCUMENT ? { [DIGEST_METADATA_KEY]: digest } : undefined,
      }),
    );
  }
  logger.info('dialpad published', { digest, files: ordered.length });
  return { status: 'published', files: ordered, digest };
}

/**
 * @azure/storage-blob, required on first use rather than at module load: loading it is the largest part
 * of the app's cold start (bench figure 2), and only this publish, which runs after start, needs it.
 * require() rather than import(): the app is CommonJS and takes every package's "require" build, in
 * the per-file output and the release bundle alike (scripts/package.ts).
 */
function loadStorageBlob(): typeof import('@azure/storage-blob') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, not at start (cold start; see above)
  return require('@azure/storage-blob') as typeof import('@azure/storage-blob');
}

/** Every file of the built dialpad keyed by blob name, plus the generated config.json. */
async function readDialpad(
  dialpadDir: string,
  apiBaseUrl: string,
  connectUrls: readonly string[],
): Promise<Map<string, Buffer>> {
  let entries: string[];
  try {
    entries = await readdir(dialpadDir, { recursive: true, withFileTypes: false });
  } catch (error) {
    throw new StaticSiteError('dialpad-missing', `No built dialpad at ${dialpadDir}.`, { cause: error });
  }
  const files = new Map<string, Buffer>();
  for (const entry of entries.sort()) {
    const path = join(dialpadDir, entry);
    const name = relative(dialpadDir, path).split(sep).join('/');
    const data = await readFile(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'EISDIR') return undefined;
      throw error;
    });
    if (data !== undefined && name !== CLIENT_CONFIG_FILE) files.set(name, data);
  }
  const index = files.get(INDEX_DOCUMENT);
  if (!index) {
    throw new StaticSiteError('dialpad-missing', `The dialpad at ${dialpadDir} has no ${INDEX_DOCUMENT}.`);
  }
  files.set(INDEX_DOCUMENT, Buffer.from(withConnectOrigins(index.toString('utf8'), [apiBaseUrl, ...connectUrls])));
  const config: ClientConfig = { apiBaseUrl: apiBaseUrl.replace(/\/+$/, '') };
  files.set(CLIENT_CONFIG_FILE, Buffer.from(`${JSON.stringify(config)}\n`));
  return files;
}

/** sha256 over names and contents in name order: the same release and API URL give the same digest. */
function digestOf(files: Map<string, Buffer>): string {
  const hash = createHash('sha256');
  for (const name of [...files.keys()].sort()) {
    hash.update(`${name}\0${files.get(name)!.length}\0`);
    hash.update(files.get(name)!);
  }
  return hash.digest('hex');
}

async function step<T>(description: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw storageFailure(description, error);
  }
}

function isStatus(error: unknown, status: number): boolean {
  return typeof error === 'object' && error !== null && (error as { statusCode?: unknown }).statusCode === status;
}
