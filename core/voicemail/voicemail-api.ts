// What the signed-in user may do with their voicemail (functions/me-voicemail*.ts): list, fetch the audio,
// mark read or unread, delete. Every id is checked before it reaches a storage key, and a message that is not
// the caller's is indistinguishable from one that does not exist (404 `voicemail-not-found`).
import type { VoicemailListResponse, VoicemailView } from '../api-types';
import { AppError } from '../errors';
import type { StoredAudio } from './audio-blobs';
import { isVoicemailId, type VoicemailStore } from './voicemail-store';

interface Owner {
  username: string;
}

export interface VoicemailApi {
  listVoicemails(user: Owner): Promise<VoicemailListResponse>;
  /** The message's audio as a stream, for an authenticated download. */
  getVoicemailAudio(user: Owner, voicemailId: string): Promise<StoredAudio>;
  /** Body `{ read: boolean }`; anything else is `invalid-voicemail-update`. */
  updateVoicemail(user: Owner, voicemailId: string, body: unknown): Promise<VoicemailView>;
  deleteVoicemail(user: Owner, voicemailId: string): Promise<void>;
}

export function createVoicemailApi(deps: {
  store: VoicemailStore;
  /** Resolves the authenticated user to a live account (throws `unauthorized` for a deleted one). */
  owner: (user: Owner) => Promise<Owner>;
}): VoicemailApi {
  const { store } = deps;
  return {
    async listVoicemails(user) {
      const { username } = await deps.owner(user);
      const voicemails = await store.list(username);
      return { voicemails, unread: voicemails.filter((v) => !v.read).length };
    },
    async getVoicemailAudio(user, voicemailId) {
      const { username } = await deps.owner(user);
      const audio = isVoicemailId(voicemailId) ? await store.openAudio(username, voicemailId) : undefined;
      if (!audio) throw notFound();
      return audio;
    },
    async updateVoicemail(user, voicemailId, body) {
      const read = (body as { read?: unknown } | undefined)?.read;
      const keys = typeof body === 'object' && body !== null ? Object.keys(body) : [];
      if (typeof read !== 'boolean' || keys.length !== 1) {
        throw new AppError('invalid-voicemail-update', 'Send {"read": true} or {"read": false}.', 'read');
      }
      const { username } = await deps.owner(user);
      const updated = isVoicemailId(voicemailId) ? await store.setRead(username, voicemailId, read) : undefined;
      if (!updated) throw notFound();
      return updated;
    },
    async deleteVoicemail(user, voicemailId) {
      const { username } = await deps.owner(user);
      if (!isVoicemailId(voicemailId) || !(await store.delete(username, voicemailId))) throw notFound();
    },
  };
}

function notFound(): AppError {
  return new AppError('voicemail-not-found', 'There is no such message in your voicemail. It may have been deleted.');
}
