// The narrow blob interface voicemail audio lives behind: Azure Blob Storage in a PRIVATE container
// (./azure-audio-blobs.ts; Azurite locally) or an in-memory twin for unit tests (./memory-audio-blobs.ts).
// Nothing here hands out a public URL: audio leaves storage only through the API, to its owner.
// A missing blob is `undefined`/`false`; every other failure is AppError('storage-unavailable').
import type { Readable } from 'node:stream';

export interface StoredAudio {
  stream: Readable;
  contentType: string;
  sizeBytes: number;
}

export interface BlobListing {
  name: string;
  /** The last write: a retried save rewrites the blob, which makes it young again. */
  writtenAt: Date;
}

export interface AudioBlobs {
  /** Writes (or overwrites: names are deterministic, so a retried write is the same write) one blob. */
  put(name: string, audio: Buffer, contentType: string): Promise<void>;
  open(name: string): Promise<StoredAudio | undefined>;
  /** Whether a blob was there to delete. */
  delete(name: string): Promise<boolean>;
  list(): Promise<BlobListing[]>;
}
