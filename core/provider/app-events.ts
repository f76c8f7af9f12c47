// The app's own call vocabulary: what a provider's webhook part reads a callback into (AppEvent), and what
// the provider's calls part is asked to do (CallAction). Provider-free, so the routing rules, the claim and
// the history (routing/call-event-handler.ts) are written once for every provider.
import type { CallClaim } from '../storage/call-store';
import type { RouteDecision } from '../routing/route-decision';
import type { ProviderName } from '../api-types';

/** A provider callback as it reached the webhook, before any parsing. */
export interface IncomingWebhook {
  /** Which provider's callback route it reached (the function's route, never the body). */
  route: ProviderName;
  /** The Authorization header (both providers send Basic credentials the app chose). */
  authorization?: string;
  /** Query parameters of the callback URL (the app puts its own markers there), and GET-method events. */
  query: Record<string, string>;
  /** Parsed JSON body for POST callbacks; undefined for GET. */
  body: unknown;
}

/** The webhook's answer: empty, or a document the provider executes (BXML). */
export interface WebhookReply {
  contentType?: 'application/xml';
  body?: string;
}

/** Who is calling, as far as the provider can prove it. */
export type CallerIdentity =
  /** `from` is a SIP address (Catapult: one of our endpoints if it matches a user's SIP URI). */
  | { kind: 'sip'; sipUri: string }
  /** A caller token the app signed and has just verified. */
  | { kind: 'user'; username: string }
  /** A caller token was sent but is forged, expired or of the wrong purpose: the call is refused. */
  | { kind: 'invalid'; reason: string };

export type AppEvent =
  /** A new call to act on: route it (exactly once, whatever the duplicates). */
  | { kind: 'call-arrived'; callId: string; from: string; to: string; caller?: CallerIdentity }
  /** A user's dialpad answers a parked call (a verified pickup token). */
  | { kind: 'pickup'; callId: string; parkedCallId: string; username: string }
  /** The leg the app placed for `callId` was answered. */
  | { kind: 'leg-answered'; callId: string; legId?: string }
  /** The leg the app placed for `callId` ended (answered or not). */
  | { kind: 'leg-ended'; callId: string; legId?: string; cause: string }
  /** The call itself ended. */
  | { kind: 'call-ended'; callId: string; cause: string }
  /** A parked call asks what next (the ring loop). */
  | { kind: 'ringing-tick'; callId: string }
  /** The call has nothing left to do (e.g. the other side left a bridge): end it. */
  | { kind: 'hang-up'; callId: string }
  | { kind: 'ignored'; callId?: string };

export type CallAction =
  /** Carry out a route decision. `first` is false for a duplicate of the event that claimed the call. */
  | { kind: 'route'; callId: string; decision: RouteDecision; first: boolean }
  /** A parked call is still ringing: keep it so. */
  | { kind: 'keep-ringing'; callId: string }
  /** Join the call this callback is about to the parked call. */
  | { kind: 'bridge'; callId: string; parkedCallId: string }
  /** End the call (an unanswered leg, no answer in time, a refused pickup); `claim` as in 'ended'. */
  | { kind: 'end-call'; callId: string; claim?: CallClaim }
  /** The call is over; `claim` is its state now (whoever must hear of it is told). */
  | { kind: 'ended'; callId: string; claim?: CallClaim }
  | { kind: 'nothing'; callId?: string };

/** What carrying out an action did: the webhook's reply, and `failed` (a cause) when it could not be done. */
export interface CarriedOut {
  reply: WebhookReply;
  failed?: string;
  /** Work the provider started that must finish before the webhook answers (awaited beside the history write). */
  settle?: Promise<void>;
}

export const EMPTY_REPLY: WebhookReply = Object.freeze({});
