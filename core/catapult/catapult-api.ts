// The typed surface of Bandwidth's Catapult v1 API that the app uses (docs/contracts/catapult-v1.md).
// `createCatapultClient` in ./client.ts implements it over Node's fetch; tests may fake it.
// All booleans are normalised (Catapult sometimes sends "true"/"false"); ids are opaque strings.

export interface LocalNumberQuery {
  areaCode?: string;
  zip?: string;
  city?: string;
  state?: string;
  localNumber?: string;
  inLocalCallingArea?: boolean;
  pattern?: string;
  quantity?: number;
}

export interface AvailableNumber {
  number: string;
  nationalNumber: string;
  city?: string;
  state?: string;
  rateCenter?: string;
  lata?: string;
  patternMatch?: string;
  price?: string;
}

/** An item of a search-and-order answer. `id` is parsed from its `location`. */
export interface OrderedNumber {
  id: string;
  number: string;
  nationalNumber: string;
  price?: string;
  location: string;
}

export interface PhoneNumber {
  id: string;
  number: string;
  nationalNumber: string;
  name?: string;
  applicationId?: string; // read from `applicationId` or the last segment of `application`
  fallbackNumber?: string;
  city?: string;
  state?: string;
  price?: string;
  createdTime?: string;
  numberState?: 'enabled' | 'released' | (string & {}); // known values, and any Catapult adds later
}

export interface AllocatePhoneNumberInput {
  number: string; // E.164
  name?: string;
  applicationId?: string;
  fallbackNumber?: string;
}

export interface PhoneNumberUpdate {
  name?: string;
  applicationId?: string; // "" detaches
  fallbackNumber?: string;
}

export interface ApplicationInput {
  name: string;
  incomingCallUrl?: string;
  incomingCallUrlCallbackTimeout?: number;
  incomingCallFallbackUrl?: string;
  callbackHttpMethod?: 'GET' | 'POST';
  autoAnswer?: boolean;
}

export interface Application extends ApplicationInput {
  id: string;
  autoAnswer: boolean;
}

export interface Domain {
  id: string;
  name: string;
  description?: string;
}

export interface EndpointInput {
  name: string;
  description?: string;
  applicationId?: string;
  enabled?: boolean;
  password: string;
}

export interface EndpointUpdate {
  description?: string;
  applicationId?: string;
  enabled?: boolean;
  password?: string;
}

export interface Endpoint {
  id: string;
  name: string;
  description?: string;
  domainId: string;
  applicationId?: string;
  enabled: boolean;
  sipUri: string; // normalised to carry the sip: scheme
  credentials: { realm: string; username: string };
}

export interface EndpointToken {
  token: string;
  expires: number; // seconds from issue
}

export type CallState = 'started' | 'rejected' | 'active' | 'completed' | 'transferring' | (string & {}); // and later ones

export interface Call {
  id: string;
  direction: 'in' | 'out';
  from: string;
  to: string;
  state: CallState;
  startTime?: string;
  activeTime?: string;
  endTime?: string;
  callbackUrl?: string;
  tag?: string;
}

export interface CreateCallInput {
  from: string;
  to: string;
  callTimeout?: number;
  callbackUrl?: string;
  callbackHttpMethod?: 'GET' | 'POST';
  callbackTimeout?: number;
  fallbackUrl?: string;
  tag?: string;
}

export interface TransferInput {
  transferTo: string; // E.164 or sip: URI
  transferCallerId?: string;
  callbackUrl?: string; // where the NEW leg's events go
  callTimeout?: number; // seconds the target rings
}

/** POST /calls/{id}/audio: speak `sentence` or play the file at `fileUrl` (one of the two); `tag` is echoed. */
export interface CallAudioInput {
  sentence?: string;
  gender?: 'female' | 'male';
  locale?: string;
  voice?: string;
  fileUrl?: string;
  tag?: string;
}

/** Recording switched on (or off) on a live call; it stops at hang-up or after `recordingMaxDuration` seconds. */
export interface CallRecordingInput {
  recordingEnabled: boolean;
  recordingFileFormat?: 'wav' | 'mp3';
  recordingMaxDuration?: number;
}

/** GET /recordings/{id}: `media` is the URL of the audio file, `call` the recorded call's URL. */
export interface Recording {
  id: string;
  media: string;
  call?: string;
  state?: string;
  startTime?: string;
  endTime?: string;
}

/** Known hangup causes; any other string is an internal error on Catapult's side. */
export type HangupCause =
  | 'ORIGINATOR_CANCEL'
  | 'NORMAL_CLEARING'
  | 'USER_BUSY'
  | 'CALL_REJECTED'
  | 'UNALLOCATED_NUMBER'
  | 'NO_ANSWER'
  | 'NORMAL_TEMPORARY_FAILURE'
  | (string & {});

/** A REST callback event as Catapult POSTs it. Unknown fields are kept but ignored. */
export interface CallEvent {
  eventType:
    | 'incomingcall'
    | 'answer'
    | 'hangup'
    | 'timeout'
    | 'speak'
    | 'playback'
    | 'dtmf'
    | 'gather'
    | 'recording'
    | (string & {});
  callId: string;
  callUri?: string;
  from: string;
  to: string;
  callState?: string;
  applicationId?: string;
  cause?: HangupCause;
  tag?: string;
  time: string;
  diversion?: Record<string, unknown>;
  /** `speak`/`playback`: started | done; `recording`: complete | error. */
  status?: string;
  /** `recording`: the recording ready to fetch. */
  recordingId?: string;
  /** `dtmf`: the digit the caller pressed. */
  dtmfDigit?: string;
}

export interface CatapultApi {
  readonly userId: string;

  searchLocalNumbers(query: LocalNumberQuery): Promise<AvailableNumber[]>;
  orderLocalNumbers(query: LocalNumberQuery): Promise<OrderedNumber[]>;

  allocatePhoneNumber(input: AllocatePhoneNumberInput): Promise<{ id: string }>;
  /** By id (n-…) or by E.164 number (encoded as %2B…). Throws CatapultError 404 when unknown. */
  getPhoneNumber(idOrNumber: string): Promise<PhoneNumber>;
  listPhoneNumbers(filter?: { applicationId?: string; name?: string; size?: number }): AsyncIterable<PhoneNumber>;
  updatePhoneNumber(idOrNumber: string, update: PhoneNumberUpdate): Promise<void>;
  deletePhoneNumber(idOrNumber: string): Promise<void>;

  createApplication(input: ApplicationInput): Promise<{ id: string }>;
  getApplication(id: string): Promise<Application>;
  listApplications(options?: { size?: number }): AsyncIterable<Application>;
  updateApplication(id: string, update: Partial<ApplicationInput>): Promise<void>;
  deleteApplication(id: string): Promise<void>;

  createDomain(input: { name: string; description: string }): Promise<{ id: string }>;
  getDomain(id: string): Promise<Domain>;
  listDomains(options?: { size?: number }): AsyncIterable<Domain>;
  deleteDomain(id: string): Promise<void>;

  createEndpoint(domainId: string, input: EndpointInput): Promise<{ id: string }>;
  getEndpoint(domainId: string, endpointId: string): Promise<Endpoint>;
  listEndpoints(domainId: string, options?: { size?: number }): AsyncIterable<Endpoint>;
  updateEndpoint(domainId: string, endpointId: string, update: EndpointUpdate): Promise<void>;
  deleteEndpoint(domainId: string, endpointId: string): Promise<void>;
  createEndpointToken(domainId: string, endpointId: string, expiresSeconds?: number): Promise<EndpointToken>;
  deleteEndpointToken(domainId: string, endpointId: string, token: string): Promise<void>;

  createCall(input: CreateCallInput): Promise<{ id: string }>;
  getCall(callId: string): Promise<Call>;
  answerCall(callId: string): Promise<void>;
  rejectCall(callId: string): Promise<void>;
  hangUpCall(callId: string): Promise<void>;
  /** 201 + Location of the new leg: returns that leg's id. */
  transferCall(callId: string, input: TransferInput): Promise<{ id: string }>;

  playToCall(callId: string, input: CallAudioInput): Promise<void>;
  setCallRecording(callId: string, input: CallRecordingInput): Promise<void>;
  getRecording(recordingId: string): Promise<Recording>;
  /** The file a recording's `media` names (only under the account's /media/ on the API's origin). */
  downloadMedia(mediaUrl: string): Promise<{ bytes: Buffer; contentType: string }>;
}

/** What every failed Catapult request throws (see ./catapult-error.ts for the class). */
export interface CatapultErrorShape {
  readonly status: number; // HTTP status; 0 when no response (network error or timeout)
  readonly category: string; // e.g. "not-found", "too-many-requests"; "network" / "timeout" when no response
  readonly code: string; // e.g. "call-not-found", "rate-limit-reached"
  readonly details: Array<{ name: string; value: string }>;
  readonly rateLimitResetMs?: number; // from X-RateLimit-Reset (epoch ms) on 429
  readonly method: string;
  readonly path: string; // request path without host or credentials
}
