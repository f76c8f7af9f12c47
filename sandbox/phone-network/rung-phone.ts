// A simulated phone that Catapult rings: an outside number, or a sandbox endpoint that no SIP client
// has registered. Either answers a leg that carries an SDP offer with a tone phone, so the caller (a
// browser) gets a real answer and audio instead of a 200 it would have to refuse.
import type { HangupCause, LegControl, RingRequest } from '../calls/network';
import { FarEndStateError, type FarEnd, type FarEndKind, type FarEndState } from './far-end';
import type { PhoneSettings } from './phone-behaviours';
import type { AudioLevel } from './audio-level';
import { createTonePhone, type TonePhone, type TonePhoneStats } from './tone-phone';

export class RungPhone implements FarEnd {
  readonly role = 'callee' as const;
  state: FarEndState = 'ringing';
  private tone: TonePhone | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly kind: FarEndKind,
    private readonly request: RingRequest,
    settings: PhoneSettings,
    private readonly log: (message: string, fields?: Record<string, unknown>) => void,
  ) {
    // Signals are sent asynchronously: the model is still wiring the leg when ring() returns.
    this.schedule(0, () => {
      request.signals.ringing?.();
      if (settings.behaviour === 'busy') this.finish('USER_BUSY');
      else if (settings.behaviour === 'answer')
        this.schedule(settings.answerDelayMs, () => void this.answer().catch(() => undefined));
      // 'manual' waits for the control API; 'no-answer' rings until the leg times out.
    });
  }

  get address(): string {
    return this.request.to;
  }

  async answer(): Promise<void> {
    if (this.state !== 'ringing') throw new FarEndStateError(`the phone is ${this.state}, not ringing`);
    this.state = 'answering';
    clearTimeout(this.timer);
    let sdp: string | undefined;
    if (this.request.offer !== undefined) {
      try {
        this.tone = createTonePhone();
        sdp = await this.tone.answer(this.request.offer);
      } catch (error) {
        this.log('tone phone could not answer', { callId: this.request.callId, error: (error as Error).message });
        if (this.state === 'answering') this.finish('NORMAL_TEMPORARY_FAILURE');
        throw error;
      }
    }
    // The leg may have been cancelled while the media was being set up.
    if (this.state !== 'answering') return;
    this.state = 'answered';
    this.request.signals.answered(sdp);
  }

  reject(): void {
    if (this.state !== 'ringing') throw new FarEndStateError(`the phone is ${this.state}, not ringing`);
    this.finish('CALL_REJECTED');
  }

  /** What the call model holds: Catapult ended the leg, so the phone just stops. */
  readonly control: LegControl = { hangUp: () => this.stop() };

  /** The far side hangs up (control API): a ringing phone declines, an answered one clears. */
  hangUp(): void {
    if (this.state === 'ended') return;
    this.finish(this.state === 'answered' ? 'NORMAL_CLEARING' : 'CALL_REJECTED');
  }

  stats(): TonePhoneStats {
    return this.tone?.stats() ?? { rtpIn: 0, rtpOut: 0 };
  }

  audioIn(): AudioLevel {
    return this.tone?.audioIn() ?? { frames: 0, loudFrames: 0, lastFrequencyHz: 0 };
  }

  private finish(cause: HangupCause): void {
    this.stop();
    this.request.signals.ended(cause);
  }

  private stop(): void {
    if (this.state === 'ended') return;
    this.state = 'ended';
    clearTimeout(this.timer);
    // Keep the final counts readable after the call ends.
    void this.tone?.close();
  }

  private schedule(ms: number, action: () => void): void {
    this.timer = setTimeout(() => {
      if (this.state === 'ringing') action();
    }, ms);
    this.timer.unref();
  }
}
