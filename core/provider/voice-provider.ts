// The ONE seam between the app and a telephony provider. Everything that differs between Catapult v1 and
// Bandwidth's current platform sits behind these small named parts; everything else (sign-up's state machine,
// routing rules, the toll-fraud guard, call history, the API and its error codes) is written once, against
// this interface. Nothing outside core/providers/** and the composition root (create-voice-app.ts) may ask
// which provider it is talking to.
import type {
  ApiErrorCode,
  AvailableNumberView,
  ProviderName,
  SipCredentialsView,
  WebRtcTokenView,
} from '../api-types';
import type { AppEvent, CallAction, CarriedOut, IncomingWebhook } from './app-events';

export type { ProviderName };

/** The ids of the app's one-time resources at the provider, as its setup part recorded them. */
export type AppResources = Readonly<Record<string, string>>;

/** The bootstrap row as the generic lease/plan/takeover logic keeps it; the provider owns the other fields. */
export interface SetupState {
  updatedAt: string;
  /** SHA-256 of the webhook configuration the provider was last given (it holds a secret). */
  webhookFingerprint?: string;
  /** The webhook URL without credentials, for people reading the table. */
  webhookUrlShown?: string;
  [field: string]: string | undefined;
}

export interface ProviderSetup {
  /** Names to record BEFORE anything is created, so a takeover after a crash finds them by name. */
  plan(): Record<string, string>;
  /** Every id is there: nothing left to create. */
  isComplete(state: SetupState): boolean;
  /**
   * Finds (by planned name) or creates what is missing, under the bootstrap lease. `save` records changes
   * at once (ETag-guarded), so an id is never lost between two steps; it returns the updated state.
   */
  create(state: SetupState, save: (changes: Partial<SetupState>) => Promise<SetupState>): Promise<SetupState>;
  /** Fingerprint and shown URL of the webhook configuration the provider should have now. */
  webhook(): { fingerprint: string; shownUrl: string };
  /**
   * Gives the provider the current webhook configuration. 'gone' = the stored application no longer exists:
   * the fields named in `forget` are cleared and setup runs again.
   */
  syncWebhook(state: SetupState): Promise<'synced' | { gone: true; forget: string[] }>;
  /** What the other parts need from a complete state. */
  resources(state: SetupState): AppResources;
}

export interface NumberSearchCriteria {
  areaCode?: string;
  zip?: string;
  city?: string;
  state?: string; // two upper-case letters
  quantity: number;
}

/** Who a number is being ordered for: the provider derives its own marker from these. */
export interface NumberOwner {
  username: string;
  /** `<APP_NAME>:<username>`: the app's readable marker. */
  marker: string;
  /** Stable for one pending sign-up (its start time), new for the next attempt after a rollback. */
  attempt: string;
}

export type NumberOrderState = { state: 'done'; numberRef: string } | { state: 'pending'; orderRef: string };

export interface ProviderNumbers {
  search(criteria: NumberSearchCriteria): Promise<AvailableNumberView[]>;
  /** Orders `number` (E.164) for `owner`. AppError('number-unavailable') when it is definitively not ours to have. */
  order(number: string, owner: NumberOwner): Promise<NumberOrderState>;
  /** Waits, bounded, for an order placed earlier. Still pending at the deadline: answers 'pending'. */
  awaitOrder(orderRef: string, number: string, owner: NumberOwner): Promise<NumberOrderState>;
  /** What an earlier attempt of this sign-up ordered (its answer lost, or the process stopped), if anything. */
  findOrdered(number: string, owner: NumberOwner): Promise<NumberOrderState | undefined>;
  /** Gives the number back. Already gone counts as done. */
  release(numberRef: string, number: string): Promise<void>;
}

/** What a user record keeps of the user's calling identity. */
export interface IdentityFacts {
  ref?: string;
  sipUri?: string;
  realm?: string;
}

export interface ProviderIdentities {
  /** True when an identity has a SIP password the app keeps (sealed) for the user. */
  readonly usesPassword: boolean;
  /** Creates the identity, or (lookFirst, or on a name clash) adopts an earlier attempt's with this password. */
  createOrAdopt(username: string, password: string | undefined, lookFirst: boolean): Promise<string | undefined>;
  /** The facts the user record keeps (read back from the provider, so they are what it really holds). */
  read(username: string, ref: string | undefined): Promise<IdentityFacts>;
  /** The ref of an identity an earlier attempt may have created, for a rollback. */
  find(username: string): Promise<string | undefined>;
  delete(ref: string): Promise<void>;
  setPassword(ref: string, password: string): Promise<void>;
}

/** A user as the provider parts see them (never the sealed password). */
export interface ProviderUser {
  username: string;
  number: string;
  identityRef?: string;
  sipUri?: string;
  realm?: string;
}

export interface ProviderBrowser {
  /** What the dialpad needs to place and take calls, with a short-lived token. */
  token(user: ProviderUser): Promise<WebRtcTokenView>;
}

export interface ProviderSipCredentials {
  /** GET /api/me/sip. `password` reads (or re-issues) the user's SIP password when the provider has one. */
  read(user: ProviderUser, password: () => Promise<string>): Promise<SipCredentialsView>;
}

export interface ProviderWebhooks {
  /** Authenticates (AppError 'webhook-unauthorized' before anything else) and parses one callback. */
  read(incoming: IncomingWebhook): Promise<AppEvent>;
}

export interface ProviderCalls {
  /** Does what the app decided for the call the callback is about, and answers the callback. */
  carryOut(action: CallAction): Promise<CarriedOut>;
  /** Ends a call from outside any callback (decline, failures). Best effort: a call already gone is fine. */
  end(callId: string): Promise<void>;
}

/** The provider's names for the three kinds of dependency fault (the API's error codes). */
export interface FaultCodes {
  unavailable: ApiErrorCode;
  rateLimited: ApiErrorCode;
  rejected: ApiErrorCode;
}

export interface VoiceProvider {
  readonly name: ProviderName;
  /** For people: "Catapult", "Bandwidth". */
  readonly label: string;
  readonly faults: FaultCodes;
  readonly setup: ProviderSetup;
  readonly numbers: ProviderNumbers;
  readonly identities: ProviderIdentities;
  readonly browser: ProviderBrowser;
  readonly sipCredentials: ProviderSipCredentials;
  readonly webhooks: ProviderWebhooks;
  readonly calls: ProviderCalls;
  /** A cheap authenticated read; throws an AppError with one of `faults` when the provider is not usable. */
  health(): Promise<unknown>;
}
