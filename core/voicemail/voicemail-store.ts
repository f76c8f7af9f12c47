// Voicemail messages: a metadata row in Table Storage (`<prefix>Voicemails`, partition `user:<username>`,
// row = the message id) and the audio in a private blob container (`<username>/<id>`).
//
// Neither is ever left without the other, in this order:
//   save:   blob FIRST (under a name derived from the call, so a retried save rewrites the same blob), then the
//           row. A row therefore always has its blob. A failure between the two (storage down, the process
//           stopped) leaves a blob without a row: the save deletes it when it can, and the sweep deletes any
//           blob older than a grace period that has no row.
//   delete: the row FIRST (the message is gone for its owner at once), then the blob; a blob left behind is
//           swept the same way.
// The id starts with the inverted time the message was left, so a partition lists newest first.
import { createHash } from 'node:crypto';
import type { VoicemailView } from '../api-types';
import type { Logger } from '../log';
import { isStorageConflict, type EntityTable } from '../storage/entity-table';
import type { AudioBlobs, StoredAudio } from './audio-blobs';
import { GREETING_PREFIX } from './greetings';

export interface NewVoicemail {
  username: string;
  /** The provider's call (or recording) id: the same message saved twice gets the same id. */
  sourceId: string;
  from: string;
  receivedAtMs: number;
  durationSeconds: number;
  audio: Buffer;
  contentType: string;
}

interface VoicemailRow {
  from: string;
  receivedAt: string;
  durationSeconds: number;
  read: boolean;
  contentType: string;
  sizeBytes: number;
}

const MAX_MS = 9_999_999_999_999;
const ID_PATTERN = /^\d{13}[0-9a-f]{12}$/;
/** A save writes its row seconds after its blob; a blob this old without a row is a leftover. */
export const ORPHAN_GRACE_MS = 15 * 60_000;

export function isVoicemailId(id: unknown): id is string {
  return typeof id === 'string' && ID_PATTERN.test(id);
}

export function voicemailId(sourceId: string, receivedAtMs: number): string {
  const digest = createHash('sha256').update(sourceId).digest('hex').slice(0, 12);
  return String(MAX_MS - receivedAtMs).padStart(13, '0') + digest;
}

export function blobName(username: string, id: string): string {
  return `${username}/${id}`;
}

const partition = (username: string) => `user:${username}`;

export class VoicemailStore {
  constructor(
    private readonly table: EntityTable,
    private readonly blobs: AudioBlobs,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Stores a message; `created` false when this message was saved already (a repeated callback). */
  async save(message: NewVoicemail): Promise<{ id: string; created: boolean }> {
    const id = voicemailId(message.sourceId, message.receivedAtMs);
    const name = blobName(message.username, id);
    await this.blobs.put(name, message.audio, message.contentType);
    const row: VoicemailRow = {
      from: message.from,
      receivedAt: new Date(message.receivedAtMs).toISOString(),
      durationSeconds: Math.max(0, Math.round(message.durationSeconds)),
      read: false,
      contentType: message.contentType,
      sizeBytes: message.audio.byteLength,
    };
    try {
      await this.table.create({ partitionKey: partition(message.username), rowKey: id, ...row });
      return { id, created: true };
    } catch (error) {
      if (isStorageConflict(error, 'exists')) return { id, created: false };
      // The row could not be written: take the blob back so no audio is kept that nobody can list. If this
      // fails too, the sweep removes it.
      await this.blobs
        .delete(name)
        .catch((cleanup) => this.logger.warn('voicemail blob left for the sweep', { id, error: String(cleanup) }));
      throw error;
    }
  }

  async list(username: string): Promise<VoicemailView[]> {
    const rows = await this.table.list<VoicemailRow>(partition(username));
    return rows.map((row) => view(row.rowKey, row));
  }

  async get(username: string, id: string): Promise<VoicemailView | undefined> {
    const row = await this.table.get<VoicemailRow>(partition(username), id);
    return row && view(id, row);
  }

  /** The audio of one of the user's messages; undefined when the user has no such message. */
  async openAudio(username: string, id: string): Promise<StoredAudio | undefined> {
    if (!(await this.table.get(partition(username), id))) return undefined;
    return this.blobs.open(blobName(username, id));
  }

  /** Undefined when the user has no such message. */
  async setRead(username: string, id: string, read: boolean): Promise<VoicemailView | undefined> {
    try {
      await this.table.update({ partitionKey: partition(username), rowKey: id, read }, '*');
    } catch (error) {
      if (isStorageConflict(error, 'missing')) return undefined;
      throw error;
    }
    return this.get(username, id);
  }

  /** Whether the user had such a message. */
  async delete(username: string, id: string): Promise<boolean> {
    const deleted = await this.table.delete(partition(username), id, '*');
    await this.blobs
      .delete(blobName(username, id))
      .catch((error) => this.logger.warn('voicemail blob left for the sweep', { id, error: String(error) }));
    return deleted;
  }

  /** Deletes blobs older than the grace period that have no row; returns how many. */
  async sweepOrphans(graceMs = ORPHAN_GRACE_MS): Promise<number> {
    let swept = 0;
    for (const blob of await this.blobs.list()) {
      if (blob.name.startsWith(GREETING_PREFIX)) continue; // a user's greeting, not a message (greetings.ts)
      if (this.now() - blob.writtenAt.getTime() < graceMs) continue;
      const [username, id, ...rest] = blob.name.split('/');
      const owned = username && isVoicemailId(id) && rest.length === 0;
      if (owned && (await this.table.get(partition(username), id))) continue;
      if (await this.blobs.delete(blob.name)) swept++;
      this.logger.info('voicemail blob without a message swept', { blob: owned ? id : 'unrecognised name' });
    }
    return swept;
  }
}

function view(id: string, row: VoicemailRow): VoicemailView {
  return {
    id,
    from: row.from,
    receivedAt: row.receivedAt,
    durationSeconds: row.durationSeconds,
    read: row.read === true,
  };
}
