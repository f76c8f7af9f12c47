// AudioBlobs in memory, for unit tests: the same semantics as the Azure container (overwrite on put,
// `false` for a blob already gone), plus the write time a sweep reads.
import { Readable } from 'node:stream';
import type { AudioBlobs, BlobListing, StoredAudio } from './audio-blobs';

export class MemoryAudioBlobs implements AudioBlobs {
  readonly blobs = new Map<string, { audio: Buffer; contentType: string; writtenAt: Date }>();

  constructor(private readonly now: () => number = Date.now) {}

  async put(name: string, audio: Buffer, contentType: string): Promise<void> {
    this.blobs.set(name, { audio: Buffer.from(audio), contentType, writtenAt: new Date(this.now()) });
  }

  async open(name: string): Promise<StoredAudio | undefined> {
    const blob = this.blobs.get(name);
    if (!blob) return undefined;
    return { stream: Readable.from([blob.audio]), contentType: blob.contentType, sizeBytes: blob.audio.byteLength };
  }

  async delete(name: string): Promise<boolean> {
    return this.blobs.delete(name);
  }

  async list(): Promise<BlobListing[]> {
    return [...this.blobs].map(([name, blob]) => ({ name, writtenAt: blob.writtenAt }));
  }
}
