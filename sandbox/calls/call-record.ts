// A Catapult call leg as the sandbox keeps it.
//
//   started ──answer──▶ active ──transfer──▶ transferring ──target answers──▶ active (bridged)
//      │                  │                       │ target fails: back to active
//      │ reject           └──hang up──▶ completed ◀┘
//      ▼
//   rejected                    (any unfinished state ──hang up / timeout / far end ends──▶ completed)
import type { EventLogEntry } from '../events/event-dispatcher';
import type { EventTarget } from '../events/event-target';
import type { LegMedia } from '../media/leg-media';
import type { HangupCause, LegControl, LegSignals } from './network';

export type CallState = 'started' | 'active' | 'transferring' | 'completed' | 'rejected';
export type CallDirection = 'in' | 'out';

/** Who is on the far side of this leg, outside Catapult. */
export type CallParty =
  /** An inbound leg: the caller (SIP endpoint, outside phone, or another Catapult leg), told via signals. */
  | { kind: 'caller'; signals: LegSignals; offer?: string; answeredSent: boolean }
  /** An outbound leg: the target being rung, ended via its control (absent until something rings it). */
  | { kind: 'target'; control?: LegControl; mediaAnswer?: string };

export interface CallRecord {
  id: string;
  userId: string;
  direction: CallDirection;
  from: string;
  to: string;
  state: CallState;
  startTime: number;
  activeTime?: number;
  endTime?: number;
  cause?: HangupCause;
  applicationId?: string;
  /** Seconds an outbound leg rings before `timeout`. */
  callTimeout?: number;
  callbackUrl?: string;
  callbackHttpMethod?: 'GET' | 'POST';
  callbackTimeout?: number;
  fallbackUrl?: string;
  tag?: string;
  recordingEnabled: boolean;
  sipHeaders?: Record<string, string>;
  eventTarget?: EventTarget;
  party: CallParty;
  /** The other leg of a transferred pair, once the target answered. */
  bridgedCallId?: string;
  /** On the original leg: its latest transfer leg. On the transfer leg: the original. */
  transferredToCallId?: string;
  transferredFromCallId?: string;
  /** For an inbound leg created because another leg rang a sandbox-owned number: that leg. */
  ringingForCallId?: string;
  events: EventLogEntry[];
  timer?: NodeJS.Timeout;
  /**
   * Set when Catapult itself answered the caller's media (the app played audio to, or recorded, a caller nobody
   * else answered; calls/call-media.ts). Such a call's later transfer rings its target without the caller's offer.
   */
  platformMedia?: LegMedia;
}

export const isEnded = (call: CallRecord): boolean => call.state === 'completed' || call.state === 'rejected';
