// The far side of a leg that the sandbox simulates (an outside phone or an endpoint without a SIP
// client), as the control API sees it: it can be answered, rejected or hung up by hand.
import type { AudioLevel } from './audio-level';
import type { TonePhoneStats } from './tone-phone';

export type FarEndKind = 'outside-phone' | 'simulated-endpoint';
export type FarEndRole = 'callee' | 'caller';
export type FarEndState = 'ringing' | 'answering' | 'answered' | 'ended';

export interface FarEnd {
  readonly kind: FarEndKind;
  /** `callee` when Catapult rang it; `caller` when it placed the call. */
  readonly role: FarEndRole;
  readonly address: string;
  readonly state: FarEndState;
  /** Answers a ringing callee; rejects with FarEndStateError otherwise. */
  answer(): Promise<void>;
  /** Rejects a ringing callee (CALL_REJECTED). */
  reject(): void;
  /** The far side hangs up. */
  hangUp(): void;
  /** RTP counts of the tone phone; zero without media. */
  stats(): TonePhoneStats;
  /** What the phone hears (frames, loud frames, frequency); zero without media. */
  audioIn(): AudioLevel;
}

export class FarEndStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FarEndStateError';
  }
}
