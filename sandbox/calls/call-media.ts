// Catapult's own media on a call: playing audio (`POST /calls/{id}/audio`: a sentence or a file), recording the
// caller (`recordingEnabled`), and hearing its digits (`dtmf` events). The Catapult side otherwise passes SDP end
// to end (network.ts); when the app plays to, or records, a caller whose offer nobody answered yet (a call the app
// answered but did not transfer, e.g. voicemail), Catapult answers that offer itself with the platform media
// endpoint (media/leg-media.ts), so the caller hears the prompts and its audio is recorded. Events:
// docs/contracts/catapult-v1.md §19.
import type { SandboxContext } from '../context';
import { callUri, eventTime } from '../events/event-payload';
import { AudioFetchError, fetchAudio } from '../media/fetch-audio';
import { LegMedia } from '../media/leg-media';
import { spokenSentence } from '../media/speech';
import { encodeWav, SAMPLE_RATE } from '../media/wav';
import { newId } from '../model/ids';
import type { CallModel } from './call-model';
import { isEnded, type CallRecord } from './call-record';

export interface CatapultRecording {
  id: string;
  userId: string;
  callId: string;
  mediaName: string;
  startTime: number;
  endTime?: number;
  state: 'recording' | 'complete';
  media?: Buffer;
}

export type AudioRequest =
  | { kind: 'speak'; sentence: string; tag?: string }
  | { kind: 'play'; fileUrl: string; tag?: string }
  | { kind: 'stop' };

interface Playing {
  kind: 'speak' | 'playback';
  tag?: string;
}

export class CallMedia {
  readonly recordings = new Map<string, CatapultRecording>();
  /** Per call: what plays now, and the recording in progress. */
  private readonly playing = new Map<string, Playing>();
  private readonly recordingOf = new Map<string, { recording: CatapultRecording; timer: NodeJS.Timeout }>();
  /** Why audio played nothing, per call (the control view shows it). */
  readonly errors = new Map<string, string[]>();

  constructor(
    private readonly ctx: SandboxContext,
    private readonly model: CallModel,
  ) {
    model.onEnd((call) => {
      this.stopRecording(call);
      this.playing.delete(call.id);
      void call.platformMedia?.close();
    });
    model.onDtmf((call, digits) => {
      if (call.state === 'active') this.dtmf(call, digits);
    });
  }

  /**
   * The leg's platform media: answers the caller's offer when nothing answered it yet. Undefined when the call's
   * media already flows end to end (bridged) or the caller has no SDP: then audio is not heard and nothing is
   * recorded, but the events still come ([undocumented] sandbox limit).
   */
  mediaFor(call: CallRecord): LegMedia | undefined {
    if (call.platformMedia) return call.platformMedia;
    if (call.party.kind !== 'caller' || call.party.answeredSent || call.party.offer === undefined) return undefined;
    const party = call.party;
    const media = new LegMedia();
    call.platformMedia = media;
    party.answeredSent = true; // a later transfer target's answer must not be sent to this caller too
    media.answer(party.offer!).then(
      (sdp) => {
        if (!isEnded(call)) party.signals.answered(sdp);
      },
      (error: unknown) =>
        this.ctx.log('call media could not answer the caller', { callId: call.id, error: String(error) }),
    );
    return media;
  }

  /** POST /calls/{id}/audio: starts (or stops) a sentence or a file; events `speak` / `playback`. */
  audio(call: CallRecord, request: AudioRequest): void {
    const media = this.mediaFor(call);
    const current = this.playing.get(call.id);
    if (current) {
      this.playing.delete(call.id);
      media?.stopPlaying();
      this.playEvent(call, current, 'done');
    }
    if (request.kind === 'stop') return;
    const playing: Playing = {
      kind: request.kind === 'speak' ? 'speak' : 'playback',
      ...(request.tag === undefined ? {} : { tag: request.tag }),
    };
    this.playing.set(call.id, playing);
    this.playEvent(call, playing, 'started');
    const samples =
      request.kind === 'speak'
        ? Promise.resolve(spokenSentence(request.sentence))
        : fetchAudio(request.fileUrl).catch((error: unknown) => {
            if (!(error instanceof AudioFetchError)) throw error;
            this.errors.set(call.id, [...(this.errors.get(call.id) ?? []), `audio: ${error.message}`]);
            return new Int16Array(0);
          });
    void samples
      .then((pcm) => (this.playing.get(call.id) === playing && media ? media.play(pcm) : undefined))
      .finally(() => {
        if (this.playing.get(call.id) !== playing) return; // stopped or replaced: its done was sent then
        this.playing.delete(call.id);
        this.playEvent(call, playing, 'done');
      });
  }

  /** recordingEnabled true: starts a recording (at most `maxDurationS`); false: stops it. */
  setRecording(call: CallRecord, enabled: boolean, maxDurationS: number): void {
    if (!enabled) {
      this.stopRecording(call);
      return;
    }
    if (this.recordingOf.has(call.id)) return;
    const media = this.mediaFor(call);
    media?.startCapture(maxDurationS * 1000);
    const count = [...this.recordings.values()].filter((r) => r.callId === call.id).length;
    const recording: CatapultRecording = {
      id: newId('rec'),
      userId: call.userId,
      callId: call.id,
      mediaName: `${call.id}-${count + 1}.wav`,
      startTime: this.ctx.now(),
      state: 'recording',
    };
    this.recordings.set(recording.id, recording);
    const timer = setTimeout(() => this.stopRecording(call), maxDurationS * 1000);
    timer.unref();
    this.recordingOf.set(call.id, { recording, timer });
    call.recordingEnabled = true;
  }

  /** The far end pressed digits: the platform hears them (event `dtmf` per digit). */
  dtmf(call: CallRecord, digits: string): void {
    for (const digit of digits) {
      call.platformMedia?.pressDigit(digit);
      this.model.sendEvent(call, {
        eventType: 'dtmf',
        callId: call.id,
        callUri: callUri(this.ctx.baseUrl, call.userId, call.id),
        dtmfDigit: digit,
        time: eventTime(this.ctx.now()),
      });
    }
  }

  private stopRecording(call: CallRecord): void {
    const active = this.recordingOf.get(call.id);
    if (!active) return;
    this.recordingOf.delete(call.id);
    clearTimeout(active.timer);
    call.recordingEnabled = false;
    const { recording } = active;
    const media = call.platformMedia;
    // No platform media (end-to-end call): a silent file as long as the recording ran.
    const samples = media?.capturing
      ? media.stopCapture()
      : new Int16Array(Math.round(((this.ctx.now() - recording.startTime) * SAMPLE_RATE) / 1000));
    recording.endTime = this.ctx.now();
    recording.media = encodeWav(samples);
    recording.state = 'complete';
    this.model.sendEvent(call, {
      eventType: 'recording',
      callId: call.id,
      recordingId: recording.id,
      recordingUri: `${this.ctx.baseUrl}/v1/users/${call.userId}/recordings/${recording.id}`,
      state: 'complete',
      status: 'complete',
      startTime: eventTime(recording.startTime),
      endTime: eventTime(recording.endTime),
    });
  }

  private playEvent(call: CallRecord, playing: Playing, status: 'started' | 'done'): void {
    this.model.sendEvent(call, {
      eventType: playing.kind,
      callId: call.id,
      callUri: callUri(this.ctx.baseUrl, call.userId, call.id),
      status,
      ...(playing.kind === 'speak' ? { state: status === 'started' ? 'PLAYBACK_START' : 'PLAYBACK_STOP' } : {}),
      ...(playing.tag === undefined ? {} : { tag: playing.tag }),
      time: eventTime(this.ctx.now()),
    });
  }
}
