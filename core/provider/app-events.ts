// The app's own call vocabulary, provider-free: what a provider's webhook part reads a callback into
// (AppEvent), what the provider's calls part is then asked to do (CallAction), and what it answers
// (CarriedOut). The routing rules, the claim-once logic and the history (routing/call-event-handler.ts) are
// written once against it. How each event drives the handler:
//
//   call-arrived ─► decide (route-decision.ts) ─► claim once ─► route {first} ─► history
//   pickup       ─► parked claim ringing → active (only its callee, only once) ─► bridge | end-call
//   ringing-tick ─► parked claim still ringing and young ─► keep-ringing; too old ─► voicemail (no answer)
//   leg-answered ─► claim ringing → active ─► nothing
//   leg-ended    ─► claim → completed | failed ─► when the leg was never answered: voicemail for a user's
//                   call, else end-call; answered: nothing
//   call-ended   ─► claim → completed | failed ─► ended
//   voicemail-progress ─► the call is in voicemail ─► voicemail (its next step)
//   recording-ready    ─► the call went to voicemail ─► the recording is fetched and kept ─► nothing
//   ignored      ─► nothing
import type { ProviderName } from '../api-types';
import type { RouteDecision } from '../routing/route-decision';
import type { ProviderUser } from './provider-user';

/** A provider callback as it reached the webhook function, before any parsing. */
export interface IncomingWebhook {
  /** Which provider's callback route it reached (the function's route, never the body). */
  route: ProviderName;
  /** The Authorization header (both providers send Basic credentials the app chose). */
  authorization?: string;
  /** Query parameters of the callback URL (the app puts its own markers there), and GET-method events. */
  query: Record<string, string>;
  /** Parsed JSON body for POST callbacks; undefined for GET (Catapult may use GET). */
  body: unknown;
}

/** The webhook's answer: 200 with no body, or 200 with a document the provider executes (BXML). */
export interface WebhookReply {
  contentType?: 'application/xml';
  body?: string;
}

export const EMPTY_REPLY: WebhookReply = Object.freeze({});

/** Who is calling, as far as the provider can prove it. */
export type CallerIdentity =
  /** `from` is a SIP address: one of our users when it is exactly a user's `sipUri` (Catapult endpoints). */
  | { kind: 'sip'; sipUri: string }
  /** A caller token the app signed, just verified by the webhook part (Bandwidth In-App calls). */
  | { kind: 'user'; username: string }
  /** A dialpad call whose token is missing, forged, expired or of the wrong purpose: the call is refused. */
  | { kind: 'invalid'; reason: string };

/** Every `callId` below passed `isCallId` (routing/call-id.ts): it reaches storage keys and provider paths. */
export type AppEvent =
  /**
   * A new call to act on, exactly once whatever the duplicates (Catapult: `answer` of an original leg;
   * Bandwidth: `initiate`). `from`/`to` as the provider gave them (E.164, national, or SIP URIs). `caller`
   * only when the callback says who calls (absent: an outside caller, identified by `from` alone).
   */
  | { kind: 'call-arrived'; callId: string; from: string; to: string; caller?: CallerIdentity }
  /**
   * A user's dialpad answers a parked call (Bandwidth: `initiate` of an In-App call with a verified pickup
   * token for `parkedCallId`, signed for `username`). `callId` is the dialpad's new call.
   */
  | { kind: 'pickup'; callId: string; parkedCallId: string; username: string }
  /** The leg the app placed for the call `callId` was answered (`legId`: that leg's own id, if any). */
  | { kind: 'leg-answered'; callId: string; legId?: string }
  /** The leg the app placed for `callId` ended, answered or not; `cause` as the provider says it. */
  | { kind: 'leg-ended'; callId: string; legId?: string; cause: string }
  /** The call `callId` itself ended (Catapult: `hangup` of an original leg; Bandwidth: `disconnect`). */
  | { kind: 'call-ended'; callId: string; cause: string }
  /** A parked call asks what next (Bandwidth: the `redirect` callback of its ring loop). */
  | { kind: 'ringing-tick'; callId: string }
  /**
   * A step of the voicemail the provider plays by REST, one request per step (Catapult: the greeting's and the
   * tone's `speak`/`playback` done, `#` pressed). A BXML provider plays the whole voicemail from one document.
   */
  | { kind: 'voicemail-progress'; callId: string; step: VoicemailStep }
  /** A voicemail recording of the call `callId` is ready at the provider (`recordingRef`: the provider's id). */
  | { kind: 'recording-ready'; callId: string; recordingRef: string }
  /** Nothing to do (Catapult: `incomingcall`, a leg's other events). */
  | { kind: 'ignored'; callId?: string };

/** Where a voicemail is: `start` (answer with the greeting), then the steps a REST provider reports. */
export type VoicemailStep = 'start' | 'greeting-played' | 'tone-played' | 'finish-pressed';

/** What the provider's calls part is asked to do; `callId` is the call the callback is about unless noted. */
export type CallAction =
  /**
   * Carry out a route decision for a new call. `connect`: ring the user `decision.user` (`callee` is that
   * user as the provider sees them, e.g. Catapult transfers to `callee.sipUri`; Bandwidth parks the call and
   * notifies the user's dialpads, with `decision.caller` as the calling user if any). `dial`: call
   * `decision.number` with caller id `decision.callerId` (already checked by the toll-fraud guard). `refuse`:
   * end the call. `first` is false for a duplicate of the callback that claimed the call: answer it as the
   * first one was answered, WITHOUT repeating side effects (no second transfer, no second notification).
   */
  | { kind: 'route'; callId: string; decision: RouteDecision; callee?: ProviderUser; first: boolean }
  /** A parked call still rings and may go on: keep it parked (Bandwidth: the same ring + redirect again). */
  | { kind: 'keep-ringing'; callId: string }
  /**
   * A pickup was accepted: join the dialpad's call `callId` to the parked call (Bandwidth: `<Bridge>`).
   * `callee`: the user who picked up, so a provider that rang several of their dialpads stops the others.
   */
  | { kind: 'bridge'; callId: string; parkedCallId: string; callee: string }
  /**
   * End the call `callId` (Catapult: REST hang-up, even when the callback was about another leg; Bandwidth:
   * `<Hangup/>` as the reply). `callee`: the user it was ringing for, if any, so a provider that rings
   * dialpads itself withdraws the ring.
   */
  | { kind: 'end-call'; callId: string; callee?: string }
  /** The call is over already; `callee` as in end-call (sent again for duplicates: telling twice is fine). */
  | { kind: 'ended'; callId: string; callee?: string }
  /**
   * Take a message for `callee` (the user the call rang for): at `start`, answer with the greeting, a tone and a
   * recording of at most VOICEMAIL_MAX_SECONDS ended by `#` or hang-up, whose recording the provider reports as
   * recording-ready; the later steps are a REST provider's own progress (voicemail-progress). The call's ringing
   * stops for the callee's dialpads as with end-call. `greetingUrl` (at `start`): the callee's own greeting, a link
   * the provider fetches without credentials; absent: the default spoken greeting.
   */
  | { kind: 'voicemail'; callId: string; callee: string; step: VoicemailStep; greetingUrl?: string }
  /** Nothing to do: answer the callback without instructions. */
  | { kind: 'nothing'; callId?: string };

/** What carrying out an action did. */
/** A voicemail recording as fetched from the provider. */
export interface FetchedRecording {
  /** A WAV file (both providers record voicemail as WAV; its length is read from it). */
  audio: Buffer;
  contentType: string;
}

/** The longest message a caller may leave; the greeting says nothing of it, the recording stops there. */
export const VOICEMAIL_MAX_SECONDS = 180;

export interface CarriedOut {
  /** How the webhook answers the callback. */
  reply: WebhookReply;
  /** Set when the action could not be done (a cause such as 'transfer-failed'): the handler ends the call. */
  failed?: string;
  /**
   * Work the provider started that must finish before the webhook answers but need not delay the decision
   * (e.g. notifying dialpads): the handler awaits it beside the history write. Must not reject.
   */
  settle?: Promise<void>;
}
