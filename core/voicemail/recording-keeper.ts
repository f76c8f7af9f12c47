// Keeps a voicemail recording the provider reported ready: fetches it from the provider, stores it for the user
// the call rang for (voicemail-store.ts: audio first, row second), and tells their open dialpads. A fault fetching
// or storing is thrown, so the webhook fails and the provider sends the callback again: nothing is lost, and the
// message id comes from the call and the recording, so a repeated callback stores the same message once.
import { AppError } from '../errors';
import type { Logger } from '../log';
import type { UserNotifier } from '../notifications/user-notifier';
import type { FetchedRecording } from '../provider/app-events';
import { historyRefs, type CallClaim } from '../storage/call-store';
import { wavDurationSeconds } from './wav';
import type { VoicemailStore } from './voicemail-store';

/** Shorter than this is a caller who hung up at the tone: nothing worth a message. */
export const MIN_MESSAGE_SECONDS = 0.5;

export interface RecordingKeeperDeps {
  store: VoicemailStore;
  fetch: (callId: string, recordingRef: string) => Promise<FetchedRecording>;
  /** Where the app rings dialpads itself (Bandwidth); elsewhere the dialpad finds new messages by polling. */
  notifier?: UserNotifier;
  logger: Logger;
}

export async function keepRecording(
  deps: RecordingKeeperDeps,
  claim: CallClaim & { voicemailAt: string },
  username: string,
  recordingRef: string,
): Promise<void> {
  const { callId } = claim;
  let recording: FetchedRecording;
  try {
    recording = await deps.fetch(callId, recordingRef);
  } catch (error) {
    // Gone at the provider (deleted, or never there): asking again would not bring it back.
    if (error instanceof AppError && error.code === 'not-found') {
      deps.logger.warn('voicemail recording not found at the provider', { callId });
      return;
    }
    throw error;
  }
  const durationSeconds = wavDurationSeconds(recording.audio) ?? 0;
  if (durationSeconds < MIN_MESSAGE_SECONDS) {
    deps.logger.info('voicemail recording too short to keep', { callId, durationSeconds });
    return;
  }
  const from = historyRefs(claim).find((ref) => ref.direction === 'inbound' && ref.username === username)?.peer ?? '';
  const { id, created } = await deps.store.save({
    username,
    sourceId: `${callId}:${recordingRef}`,
    from,
    receivedAtMs: Date.parse(claim.voicemailAt),
    durationSeconds,
    audio: recording.audio,
    contentType: recording.contentType,
  });
  deps.logger.info(created ? 'voicemail kept' : 'voicemail already kept', { callId, voicemailId: id });
  if (!created || !deps.notifier) return;
  await deps.notifier
    .send(username, { type: 'voicemail', voicemailId: id, from })
    .catch((error: unknown) =>
      deps.logger.warn('could not tell the dialpads of a new voicemail', { callId, error: String(error) }),
    );
}
