// AudioBlobs over Azure Blob Storage (Azurite locally). The container is created on first use WITHOUT
// public access (private: no anonymous read of a blob or a listing), so a recording is reachable only
// through the API. Every call is bounded in time; a missing blob is undefined/false, anything else
// AppError('storage-unavailable') (the SDK's messages, which can carry URLs, are never passed on).
import type { ContainerClient } from '@azure/storage-blob';
import { AppError } from '../errors';
import type { Logger } from '../log';
import type { StorageClientAccess } from '../storage/storage-access';
import type { AudioBlobs, BlobListing, StoredAudio } from './audio-blobs';

/** A connection string, or the blob endpoint and the app's Entra credential (core/storage/storage-access.ts). */
export type AzureAudioBlobsOptions = StorageClientAccess & {
  containerName: string;
  /** Per call (for a download: until its first byte), default 5000. */
  timeoutMs?: number;
  logger?: Logger;
};

/**
 * The private container of the voicemail audio: `vra-voicemail` (azuredeploy.json creates it), one per table
 * prefix in tests.
 */
export function voicemailContainerName(tablePrefix = 'vra'): string {
  return `${tablePrefix.toLowerCase()}-voicemail`;
}

/** Container names: 3-63 lowercase letters, digits and single hyphens, starting with a letter or digit. */
export function isContainerName(name: string): boolean {
  return /^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/.test(name);
}

export function createAzureAudioBlobs(options: AzureAudioBlobsOptions): AudioBlobs {
  if (!isContainerName(options.containerName)) throw new Error('Invalid blob container name');
  const timeoutMs = options.timeoutMs ?? 5000;
  let container: ContainerClient | undefined;
  let ready: Promise<void> | undefined;

  const run = async <T>(operation: string, work: (client: ContainerClient) => Promise<T>): Promise<T> => {
    try {
      if (!container) {
        const sdk = loadStorageBlob();
        // Few quick retries: the timeout bounds the whole call anyway.
        const pipeline = { retryOptions: { maxTries: 2, retryDelayInMs: 100, maxRetryDelayInMs: 500 } };
        const service =
          'connectionString' in options
            ? sdk.BlobServiceClient.fromConnectionString(options.connectionString, pipeline)
            : new sdk.BlobServiceClient(options.endpoint, options.credential, pipeline);
        container = service.getContainerClient(options.containerName);
      }
      const client = container;
      if (!ready) {
        // No `access` option: the container is private.
        ready = client.createIfNotExists({ abortSignal: AbortSignal.timeout(timeoutMs) }).then(() => undefined);
        ready.catch(() => (ready = undefined)); // try again on the next call
      }
      await ready;
      return await work(client);
    } catch (error) {
      throw translate(error, operation, options.logger);
    }
  };

  return {
    put: (name, audio, contentType) =>
      run('put', async (client) => {
        await client.getBlockBlobClient(name).uploadData(audio, {
          blobHTTPHeaders: { blobContentType: contentType },
          abortSignal: AbortSignal.timeout(timeoutMs),
        });
      }),
    open: (name) =>
      run('open', async (client): Promise<StoredAudio | undefined> => {
        // The timeout covers the answer, not the body: a 3-minute recording may take longer to stream out.
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(), timeoutMs);
        try {
          const response = await client.getBlobClient(name).download(0, undefined, { abortSignal: controller.signal });
          const body = response.readableStreamBody;
          if (!body) throw new Error('download without a body');
          return {
            stream: body as NodeJS.ReadableStream as import('node:stream').Readable,
            contentType: response.contentType ?? 'application/octet-stream',
            sizeBytes: response.contentLength ?? 0,
          };
        } catch (error) {
          if (statusOf(error) === 404) return undefined;
          throw error;
        } finally {
          clearTimeout(timer);
        }
      }),
    delete: (name) =>
      run('delete', async (client) => {
        const result = await client.getBlobClient(name).deleteIfExists({ abortSignal: AbortSignal.timeout(timeoutMs) });
        return result.succeeded;
      }),
    list: () =>
      run('list', async (client) => {
        const blobs: BlobListing[] = [];
        for await (const blob of client.listBlobsFlat({ abortSignal: AbortSignal.timeout(timeoutMs) })) {
          blobs.push({ name: blob.name, writtenAt: blob.properties.lastModified });
        }
        return blobs;
      }),
  };
}

/**
 * @azure/storage-blob, required on first use rather than at module load: it is a large part of the app's
 * cold start, and most requests never touch a recording. require() rather than import(): the app is
 * CommonJS and takes every package's "require" build.
 */
function loadStorageBlob(): typeof import('@azure/storage-blob') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, not at start (cold start; see above)
  return require('@azure/storage-blob') as typeof import('@azure/storage-blob');
}

function statusOf(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null && 'statusCode' in error ? Number(error.statusCode) : undefined;
}

function translate(error: unknown, operation: string, logger?: Logger): Error {
  if (error instanceof AppError) return error;
  logger?.error('blob storage call failed', {
    operation,
    status: statusOf(error),
    error: error instanceof Error ? error.name : typeof error,
  });
  return new AppError('storage-unavailable', 'Storage is unavailable. Try again shortly.', undefined, { cause: error });
}
