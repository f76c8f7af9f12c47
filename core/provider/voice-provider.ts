// The ONE seam between the app and a telephony provider. What differs between providers (Catapult v1 today;
// Bandwidth's Voice API v2 + Numbers API + In-App Calling next) sits behind these small named parts; what does
// not (sign-up's state machine, the bootstrap lease, routing rules, the toll-fraud guard, call history, the API
// and its error codes) is written once, against this interface. Only core/providers/** and the composition root
// (create-voice-app.ts) know which provider runs; a lint rule keeps it so.
//
// Error contract for every part: a provider fault surfaces as an AppError with one of the provider-neutral
// codes, never as the provider's own error type:
//   provider-unavailable   5xx, timeout, no answer, or "not done yet" (transient: the caller may retry)
//   provider-rate-limited  429 that outlasted the provider client's retries (transient)
//   provider-rejected      a 4xx the app cannot recover from (definitive: sign-up rolls back)
// plus the flow-specific codes named on each method (number-unavailable, sip-account-unavailable, …).
import type { AvailableNumberView, ProviderName, SipCredentialsView, WebRtcTokenView } from '../api-types';
import type { AppEvent, CallAction, CarriedOut, FetchedRecording, IncomingWebhook } from './app-events';
import type { ProviderUser } from './provider-user';

export type { ProviderUser };

export type { ProviderName };

/**
 * The ids of the app's one-time resources at the provider, as `ProviderSetup.resources` reads them from the
 * bootstrap row. Opaque to provider-free code: only the provider that set them up reads them, through its own
 * typed view (e.g. Catapult's `catapultResources()`). Logged once when set up: no secrets in here.
 */
export type AppResources = Readonly<Record<string, string>>;

/**
 * The bootstrap row (table `<prefix>Bootstrap`, partition `app`, row `state`). The generic lease/plan/takeover
 * logic (bootstrap/bootstrap.ts) owns `updatedAt`, `webhookFingerprint` and `webhookUrlShown`; every other field
 * is the provider's (planned names, then ids). Values are strings; '' means "cleared".
 */
export interface SetupState {
  updatedAt: string;
  /** SHA-256 of the webhook configuration the provider was last given (that configuration holds a secret). */
  webhookFingerprint?: string;
  /** The webhook URL without credentials, for people reading the table. */
  webhookUrlShown?: string;
  [field: string]: string | undefined;
}

/** Records changes to the bootstrap row at once (ETag-guarded) and returns the row as now stored. */
export type SaveSetupState = (changes: Partial<SetupState>) => Promise<SetupState>;

/**
 * The app's one-time resources at the provider (Catapult: an application + a SIP domain; Bandwidth: a Voice-V2
 * application with CallInitiatedCallbackUrl/CallStatusCallbackUrl/CallbackCreds, a site and a location linked
 * to it by origination settings, or the configured site/location). Called by the bootstrapper only, which
 * guarantees: one creator at a time per deployment (a lease row), names planned and stored BEFORE `create`
 * runs, and a crashed creator's work taken over by the next one with the same planned names.
 */
export interface ProviderSetup {
  /**
   * The names the resources WILL have, stored before anything is created (e.g. `{ applicationName }` with a
   * random suffix). Pure and cheap: no request to the provider.
   */
  plan(): Record<string, string>;
  /** True when `state` holds every id the other parts need: nothing left to create. */
  isComplete(state: SetupState): boolean;
  /**
   * Finds (by the planned name in `state`) or creates each missing resource, in order, and `save`s each id
   * the moment it is known, so a crash between two steps loses nothing: the takeover calls `create` again with
   * what was saved and must find, not duplicate, what a crashed run created. May `save` a new planned name and
   * retry on a name clash. Creating the application sets its webhook configuration; when it does, save
   * `webhookFingerprint` and `webhookUrlShown` with its id so no sync follows. Returns the last saved state.
   * Faults: AppError provider-*.
   */
  create(state: SetupState, save: SaveSetupState): Promise<SetupState>;
  /** The webhook configuration the provider should have now (its fingerprint covers URLs AND credentials). */
  webhook(): { fingerprint: string; shownUrl: string };
  /**
   * Gives the provider's application the current webhook configuration (URLs and callback credentials), called
   * on a complete state whose `webhookFingerprint` differs from `webhook().fingerprint` (PUBLIC_BASE_URL or
   * APP_SECRET changed). Idempotent. `{ gone, forget }`: the stored application no longer exists at the
   * provider; the bootstrapper clears the fields named in `forget` (at least the application's id and
   * `webhookFingerprint`) and runs set-up again. Faults: AppError provider-*.
   */
  syncWebhook(state: SetupState): Promise<'synced' | { gone: true; forget: string[] }>;
  /** The ids the other parts need, read from a state (complete or not: missing ids are left out). */
  resources(state: SetupState): AppResources;
}

export interface NumberSearchCriteria {
  /** Exactly one kind: `areaCode` (3 digits), or `zip` (5 digits), or `city` + `state` (2 upper-case letters). */
  areaCode?: string;
  zip?: string;
  city?: string;
  state?: string;
  quantity: number; // 1..50
}

/**
 * Who a number is ordered for. The provider derives the marker it stores WITH the order (Catapult: the
 * number's name; Bandwidth: the order's CustomerOrderId) from these, so `findOrdered` recognises what an
 * earlier attempt of the same sign-up ordered when its answer was lost.
 */
export interface NumberOwner {
  username: string;
  /** `<APP_NAME>:<username>`: the app's readable marker. */
  marker: string;
  /**
   * ISO time the pending sign-up started: the same for every retry of one attempt, new once an attempt was
   * rolled back. A provider whose marker outlives a release (an order record) includes it so a new attempt
   * never mistakes a released order for its own.
   */
  attempt: string;
}

/**
 * `done`: the number is the app's, assigned to the app's application/location; `numberRef` is the provider's
 * reference for `release` (kept as `numberId` on the user). `pending`: the provider accepted the order but has
 * not completed it; `orderRef` lets `awaitOrder` resume it (kept as `orderRef` on the pending sign-up row).
 */
export type NumberOrderState = { state: 'done'; numberRef: string } | { state: 'pending'; orderRef: string };

/**
 * Numbers: search, order (synchronous on Catapult; asynchronous on Bandwidth: order into the app's location,
 * poll the order), recognise what a crashed sign-up ordered, and release. Sign-up (signup/sign-up.ts) calls
 * them in this order: `findOrdered` (only when resuming) ?? `order` → if pending, the orderRef is stored, then
 * `awaitOrder` → a retry with a stored orderRef calls `awaitOrder` only. Its rollback calls `awaitOrder` or
 * `findOrdered`, then `release`.
 */
export interface ProviderNumbers {
  /**
   * Numbers the app may order, at most `criteria.quantity`: `number` in E.164, `nationalNumber` as
   * `(919) 555-1212`, `city` and `state` ('' when the provider does not say). Faults: provider-*.
   */
  search(criteria: NumberSearchCriteria): Promise<AvailableNumberView[]>;
  /**
   * Orders `number` (E.164) for `owner`, with the marker and assigned to the app's resources. Returns `done`,
   * or `pending` when the provider completes orders later (return promptly; `awaitOrder` waits). Throws
   * AppError('number-unavailable', field 'number') when the number is definitively not the app's to have,
   * UNLESS an earlier attempt of this owner holds it (answer lost): then that is `done`.
   */
  order(number: string, owner: NumberOwner): Promise<NumberOrderState>;
  /**
   * Waits, bounded (about 20 s; the sign-up renews its lease meanwhile), for an order placed earlier, e.g. by
   * polling it. Complete → `done`; failed (the number went to someone else) → AppError('number-unavailable');
   * still pending at the deadline → `pending` with the same orderRef (sign-up answers signup-in-progress and
   * the retry resumes here). Never orders again.
   */
  awaitOrder(orderRef: string, number: string, owner: NumberOwner): Promise<NumberOrderState>;
  /**
   * What an earlier attempt of `owner` ordered for `number` (its answer lost, or the process stopped before the
   * orderRef was stored): `done` when the number is the app's with the owner's marker, `pending` for an order
   * with the owner's marker still in flight, undefined when nothing was ordered (or it was released).
   */
  findOrdered(number: string, owner: NumberOwner): Promise<NumberOrderState | undefined>;
  /** Gives the number back to the provider. Already gone counts as done. Faults: provider-*. */
  release(numberRef: string, number: string): Promise<void>;
}

/** What a user record keeps of the user's calling identity (all absent where the provider has none). */
export interface IdentityFacts {
  /** The provider's reference of the identity (kept as `endpointId` on the user). */
  ref?: string;
  sipUri?: string;
  realm?: string;
}

/**
 * A user's calling identity at the provider. Catapult: a SIP endpoint named after the username on the app's
 * domain, with a password the app keeps sealed. Bandwidth: none (a dialpad proves its user with a token the
 * app signs): `usesPassword` false, `createOrAdopt`/`find` answer undefined, `read` answers {}, `delete` does
 * nothing, `setPassword` throws AppError('sip-account-unavailable'), and sign-up stores no identity fields.
 */
export interface ProviderIdentities {
  /** True when an identity has a SIP password the app generates and keeps (sealed) for the user. */
  readonly usesPassword: boolean;
  /**
   * Creates the user's identity with `password` (undefined when `usesPassword` is false) and returns its ref,
   * or undefined when the provider has no identities. `lookFirst` (a resumed sign-up) or a name clash: adopt
   * the existing identity of that name instead, resetting its password to `password`. Faults: provider-*.
   */
  createOrAdopt(username: string, password: string | undefined, lookFirst: boolean): Promise<string | undefined>;
  /** The facts the user record keeps, read back from the provider (so they are what it really holds). */
  read(username: string, ref: string | undefined): Promise<IdentityFacts>;
  /** The ref of an identity an earlier attempt may have created (for a rollback), or undefined. */
  find(username: string): Promise<string | undefined>;
  /** Deletes an identity. Already gone counts as done. */
  delete(ref: string): Promise<void>;
  /** Sets a new SIP password (when the sealed one no longer decrypts after an APP_SECRET rotation). */
  setPassword(ref: string, password: string): Promise<void>;
}

export interface ProviderBrowser {
  /**
   * POST /api/me/webrtc-token: what the dialpad needs to place and take calls, with a short-lived token.
   * Catapult: an endpoint token (`provider: 'catapult'`). Bandwidth: an In-App Calling access token minted with
   * the NARROW WebRTC credential (never the credential that orders numbers) plus the app-signed caller token
   * (`provider: 'bandwidth'`). Faults: provider-*.
   */
  token(user: ProviderUser): Promise<WebRtcTokenView>;
}

export interface ProviderSipCredentials {
  /**
   * GET /api/me/sip. `password()` reads the user's SIP password (re-issuing it through
   * `identities.setPassword` when it no longer decrypts); call it only when the provider has one. A provider
   * without per-user SIP accounts throws AppError('sip-account-unavailable') (409) with a plain message.
   */
  read(user: ProviderUser, password: () => Promise<string>): Promise<SipCredentialsView>;
}

export interface ProviderWebhooks {
  /**
   * Reads one provider callback into one of the app's events (app-events.ts). In this order: checks the
   * credentials (AppError 'webhook-unauthorized' before the body is even looked at); refuses a callback meant
   * for another application ('webhook-unauthorized') or another provider's route ('not-found'); validates
   * what it reads (call ids must pass `isCallId`; malformed → 'invalid-json'); and verifies any token a
   * dialpad sent (Bandwidth: the caller or pickup token in `uui`): a verified one becomes `caller: {kind:
   * 'user'}` or a `pickup` event, a missing/forged/expired one on a dialpad call becomes `caller: {kind:
   * 'invalid'}`; what a browser could forge (`from` of an In-App call) is never trusted. Callbacks that need no
   * action are `ignored`. No storage access here: the handler does that.
   */
  read(incoming: IncomingWebhook): Promise<AppEvent>;
}

export interface ProviderCalls {
  /**
   * Does what the handler decided about the call a callback is about, and says how to answer the callback.
   * Catapult acts through REST (transfer, hang up) and always answers an empty 200; a BXML provider answers
   * with a document (`<Transfer>`, `<Ring/><Redirect/>`, `<Bridge>`, `<Hangup/>`) and uses REST only where a
   * reply cannot reach the call. Each CallAction's doc says what it asks. Must not throw for a provider fault
   * on the call path: report `failed` (a cause for the history) and the handler ends the call.
   */
  carryOut(action: CallAction): Promise<CarriedOut>;
  /**
   * Ends a call from outside its own callback (a decline, a routing failure). Best effort: a call already
   * gone or ending is fine, and nothing is thrown (failures are logged).
   */
  end(callId: string): Promise<void>;
  /**
   * Sends a ringing call to voicemail from outside its own callbacks (the callee declined through the API): the
   * provider has the call carry out `{ kind: 'voicemail', step: 'start' }` (Bandwidth: a redirect, whose
   * callback the handler answers so; Catapult: the greeting by REST). Best effort like `end`: false when the
   * call could not be reached (the caller is then hung up on).
   */
  divertToVoicemail(callId: string, callee: string, greetingUrl?: string): Promise<boolean>;
  /**
   * The recording `recordingRef` of the call `callId`, downloaded. Faults: AppError provider-* (the webhook then
   * fails, so the provider sends the callback again), `not-found` when the provider has no such recording.
   */
  fetchRecording(callId: string, recordingRef: string): Promise<FetchedRecording>;
}

/** One of the app's one-time resources that the provider no longer has (deleted, or another account's). */
export interface SetupGap {
  /** Which kind: the application (incoming calls are lost) or the domain (nobody can register or call). */
  code: 'application-missing' | 'domain-missing';
  /** The stored id ('' when it was never created or already forgotten). */
  id: string;
  /** For people: "the application 1234", "the SIP domain vra-x1y2 (rd-5678)". */
  label: string;
  /** The bootstrap row's fields to clear so the set-up creates it again. */
  forget: string[];
}

/** A number on the provider's account; `markedFor` is the username of this app's marker when it carries one. */
export interface NumberAtProvider {
  ref: string;
  number: string; // E.164
  markedFor?: string;
  /** ours: routed to the app's application; none: to no application; other: to another application. */
  attached: 'ours' | 'none' | 'other';
  /** When it was ordered (ISO), if the provider says. */
  orderedAt?: string;
}

/** A calling identity the app's set-up holds (Catapult: an endpoint of the app's domain, which is the app's alone). */
export interface IdentityAtProvider {
  ref: string;
  username: string;
  attached: 'ours' | 'none' | 'other';
}

/**
 * What the doctor and the app's own upkeep need to compare its records with the provider and repair drift
 * (part 3 of "nothing lost"): read-only listings plus two idempotent moves. Faults: AppError provider-*.
 * Optional on a provider: without it the doctor only reports pending sign-ups.
 */
export interface ProviderUpkeep {
  /** The resources `state` names that the provider no longer has; [] when all are there. */
  missingSetup(state: SetupState): Promise<SetupGap[]>;
  /** Every number on the account (the app's are those with its marker). */
  listNumbers(resources: AppResources): Promise<NumberAtProvider[]>;
  /** Every identity of the app's set-up. */
  listIdentities(resources: AppResources): Promise<IdentityAtProvider[]>;
  /** Routes the number's calls to the app's (current) application. */
  attachNumber(numberRef: string, resources: AppResources): Promise<void>;
  /** Points the identity's calls at the app's (current) application. */
  attachIdentity(identityRef: string, resources: AppResources): Promise<void>;
}

export interface VoiceProvider {
  readonly name: ProviderName;
  /** For people (health messages, logs): "Catapult", "Bandwidth". */
  readonly label: string;
  readonly setup: ProviderSetup;
  readonly numbers: ProviderNumbers;
  readonly identities: ProviderIdentities;
  readonly browser: ProviderBrowser;
  readonly sipCredentials: ProviderSipCredentials;
  readonly webhooks: ProviderWebhooks;
  readonly calls: ProviderCalls;
  readonly upkeep?: ProviderUpkeep;
  /**
   * GET /api/health's provider check: one cheap authenticated read (Catapult: the application; Bandwidth: the
   * application through the Numbers API). Must not create anything. Throws AppError provider-* when the
   * provider is not usable (credentials refused → provider-rejected); the health check adds a timeout.
   */
  health(): Promise<unknown>;
}
