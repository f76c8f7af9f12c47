// <PlayAudio> and <Record>: the verbs that play a file to a caller and record what the caller says
// (docs/contracts/bandwidth-v2.md §10). Both use the leg's platform media (media/leg-media.ts).
import { encodeWav, SAMPLE_RATE } from '../../media/wav';
import { AudioFetchError, fetchAudio } from '../../media/fetch-audio';
import { isOver, type BwCall } from './bw-call';
import type { Verb } from './bxml';
import type { CallOps } from './call-ops';

type PlayAudio = Extract<Verb, { verb: 'PlayAudio' }>;
type Record = Extract<Verb, { verb: 'Record' }>;

/**
 * Fetches and plays the file. [undocumented] Audio that cannot be fetched or decoded plays nothing: the call goes
 * on with the next verb and the reason is kept in the call's `mediaErrors` (control API).
 */
export async function playAudio(ops: CallOps, call: BwCall, verb: PlayAudio, generation: number): Promise<void> {
  let samples: Int16Array;
  try {
    samples = await fetchAudio(
      verb.url,
      verb.username === undefined ? undefined : { username: verb.username, password: verb.password ?? '' },
    );
  } catch (error) {
    if (!(error instanceof AudioFetchError)) throw error;
    call.mediaErrors.push(`PlayAudio: ${error.message}`);
    return;
  }
  if (isOver(call) || call.generation !== generation) return;
  const stop = () => {
    if (isOver(call) || call.generation !== generation) call.media.stopPlaying();
  };
  call.wakers.add(stop);
  try {
    await call.media.play(samples);
  } finally {
    call.wakers.delete(stop);
  }
}

/**
 * Records the caller until maxDuration, a terminating digit, the caller hanging up, or the call's BXML being
 * replaced. Then `recordComplete` (only if the call is still in this document, as the verb's page says) and its
 * BXML, else the next verb; `recordingAvailable` in every case, after it.
 */
export async function record(ops: CallOps, call: BwCall, verb: Record, generation: number): Promise<'next' | 'stop'> {
  if (verb.tag !== undefined) call.tag = verb.tag;
  const startTime = ops.clock();
  call.media.startCapture(verb.maxDurationS * 1000);
  await new Promise<void>((resolve) => {
    const finish = () => {
      clearTimeout(timer);
      call.wakers.delete(wake);
      stopDigits();
      resolve();
    };
    const wake = () => {
      if (isOver(call) || call.generation !== generation) finish();
    };
    const stopDigits = call.media.onDigit((digit) => {
      if (verb.terminatingDigits.includes(digit)) finish();
    });
    const timer = setTimeout(finish, verb.maxDurationS * 1000);
    timer.unref();
    call.wakers.add(wake);
  });
  const samples = call.media.stopCapture();
  const recording = ops.recordings.add({
    callId: call.id,
    startTime,
    endTime: ops.clock(),
    durationMs: Math.round((samples.length * 1000) / SAMPLE_RATE),
    media: encodeWav(samples),
    ...(call.tag === undefined ? {} : { tag: call.tag }),
  });
  const stillHere = !isOver(call) && call.generation === generation;
  // Queued before recordingAvailable, so the app hears recordComplete first.
  const next =
    stillHere && verb.recordComplete
      ? ops.startWith(call, 'recordComplete', verb.recordComplete, { recording })
      : undefined;
  if (verb.recordingAvailable) void ops.send(call, 'recordingAvailable', verb.recordingAvailable, { recording });
  if (next) {
    void next;
    return 'stop';
  }
  return stillHere ? 'next' : 'stop';
}
