// What the signed-in user may do with their voicemail (functions/me-voicemail*.ts): list, fetch the audio,
// mark read or unread, delete. Every id is checked before it reaches a storage key, and a message that is not
// the caller's is indistinguishable from one that does not exist (404 `voicemail-not-found`).
import type { VoicemailListResponse, VoicemailView } from '../api-types';
import { AppError } from '../errors';
import type { StoredAudio } from './audio-blobs';
import type { Greetings } from './greetings';
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
  /** The user's own greeting (a WAV, 8 kHz 16-bit mono, 1–30 s), replacing any; AppError `invalid-greeting`. */
  saveGreeting(user: Owner, audio: Buffer): Promise<{ durationSeconds: number }>;
  /** Their greeting's audio; `greeting-not-found` when callers hear the default one. */
  getGreeting(user: Owner): Promise<StoredAudio>;
  /** Back to the default greeting; `greeting-not-found` when there was none. */
  deleteGreeting(user: Owner): Promise<void>;
  /** The greeting a provider's link opens (no session: the link's signature and expiry); `not-found` otherwise. */
  openGreetingLink(username: string, expires: string | undefined, sig: string | undefined): Promise<StoredAudio>;
}

export function createVoicemailApi(deps: {
  store: VoicemailStore;
  greetings: Greetings;
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
    async saveGreeting(user, audio) {
      const { username } = await deps.owner(user);
      return deps.greetings.save(username, audio);
    },
    async getGreeting(user) {
      const { username } = await deps.owner(user);
      const audio = await deps.greetings.open(username);
      if (!audio) throw noGreeting();
      return audio;
    },
    async deleteGreeting(user) {
      const { username } = await deps.owner(user);
      if (!(await deps.greetings.delete(username))) throw noGreeting();
    },
    openGreetingLink: (username, expires, sig) => deps.greetings.openLink(username, expires, sig),
  };
}

function noGreeting(): AppError {
  return new AppError('greeting-not-found', 'You have no greeting of your own: callers hear the default one.');
}

function notFound(): AppError {
  return new AppError('voicemail-not-found', 'There is no such message in your voicemail. It may have been deleted.');
}
