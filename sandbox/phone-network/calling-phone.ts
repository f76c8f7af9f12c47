// A simulated phone that places a call into Catapult: an outside phone calling a number (it makes
// the SDP offer itself, so a browser can answer with audio) or a sandbox endpoint without SIP.
import type { CallNetwork, LegControl, LegSignals } from '../calls/network';
import { FarEndStateError, type FarEnd, type FarEndKind, type FarEndState } from './far-end';
import type { AudioLevel } from './audio-level';
import { createTonePhone, type TonePhone, type TonePhoneStats } from './tone-phone';

export interface PlaceCallOptions {
  kind: FarEndKind;
  from: string;
  to: string;
  endpointId?: string;
  media: 'tone' | 'none';
  log: (message: string, fields?: Record<string, unknown>) => void;
}

export class CallingPhone implements FarEnd {
  readonly role = 'caller' as const;
  readonly kind: FarEndKind;
  readonly address: string;
  state: FarEndState = 'ringing';
  private leg: LegControl | undefined;

  private constructor(
    private readonly options: PlaceCallOptions,
    private readonly tone: TonePhone | undefined,
  ) {
    this.kind = options.kind;
    this.address = options.from;
  }

  /** Places the call; throws CallRejected (from the network) when nothing takes it. */
  static async place(
    network: CallNetwork,
    options: PlaceCallOptions,
  ): Promise<{ callId: string; phone: CallingPhone }> {
    const tone = options.media === 'tone' ? createTonePhone() : undefined;
    try {
      const offer = await tone?.offer();
      const phone = new CallingPhone(options, tone);
      const leg = network.originate({
        from: options.from,
        to: options.to,
        offer,
        signals: phone.signals,
        ...(options.endpointId === undefined ? {} : { endpointId: options.endpointId }),
      });
      phone.leg = leg;
      return { callId: leg.callId, phone };
    } catch (error) {
      await tone?.close();
      throw error;
    }
  }

  private readonly signals: LegSignals = {
    answered: (sdp) => {
      if (this.state === 'ended') return;
      this.state = 'answered';
      if (sdp !== undefined && this.tone) {
        this.tone.acceptAnswer(sdp).catch((error: Error) => {
          this.options.log('tone phone could not apply the answer', { error: error.message });
        });
      }
    },
    ended: () => this.stop(),
  };

  answer(): Promise<void> {
    return Promise.reject(new FarEndStateError('this phone placed the call; only the called side can answer'));
  }

  reject(): void {
    throw new FarEndStateError('this phone placed the call; only the called side can reject');
  }

  hangUp(): void {
    if (this.state === 'ended') return;
    this.stop();
    this.leg?.hangUp('NORMAL_CLEARING');
  }

  stats(): TonePhoneStats {
    return this.tone?.stats() ?? { rtpIn: 0, rtpOut: 0 };
  }

  audioIn(): AudioLevel {
    return this.tone?.audioIn() ?? { frames: 0, loudFrames: 0, lastFrequencyHz: 0 };
  }

  private stop(): void {
    if (this.state === 'ended') return;
    this.state = 'ended';
    void this.tone?.close();
  }
}
