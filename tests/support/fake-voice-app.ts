// A VoiceApp double for handler tests: every method answers a canned value (or throws what the
// test sets) and records the arguments it was called with.
import type {
  CallHistoryResponse,
  DoctorReport,
  DialCheckResponse,
  HealthResponse,
  NotificationsAccess,
  NumberSearchResponse,
  SessionResponse,
  SipCredentialsView,
  UserView,
  VoicemailView,
  WebRtcTokenView,
} from '../../core/api-types';
import { Readable } from 'node:stream';
import { AppError } from '../../core/errors';
import type { AuthenticatedUser, IncomingWebhook, VoiceApp, WebhookReply } from '../../core/voice-app';

const SAMPLE_SIP_URI = 'sip:u-alice@vra-local.bwapp.bwsip.io';

export const SAMPLE_USER: UserView = {
  username: 'alice',
  number: '+19195551212',
  nationalNumber: '(919) 555-1212',
  sipUri: SAMPLE_SIP_URI,
  createdAt: '2026-11-26T10:00:00.000Z',
};

export const SAMPLE_VOICEMAIL: VoicemailView = {
  id: '82199999999990123456789ab',
  from: '+19195550100',
  receivedAt: '2026-11-26T10:00:00.000Z',
  durationSeconds: 3,
  read: false,
};

/** The audio getVoicemailAudio answers: four bytes of a pretend WAV. */
export const SAMPLE_AUDIO = Buffer.from('RIFF');

export const SAMPLE_SESSION: SessionResponse = {
  user: SAMPLE_USER,
  token: 'session-token',
  expiresAt: '2026-11-26T10:10:00.000Z',
  refreshToken: 'refresh-token',
  refreshExpiresAt: '2026-12-26T10:00:00.000Z',
  sessionId: 'AAAAAAAAAAAAAAAAAAAAAA',
  passkeySetup: 'none',
};

/** What authenticate() answers for VALID_BEARER. */
export const SAMPLE_AUTHENTICATED: AuthenticatedUser = {
  username: 'alice',
  sessionId: SAMPLE_SESSION.sessionId,
  row: {
    sessionId: SAMPLE_SESSION.sessionId,
    createdAt: '2026-11-26T10:00:00.000Z',
    expiresAt: SAMPLE_SESSION.refreshExpiresAt,
    lastSeenAt: '2026-11-26T10:00:00.000Z',
    method: 'username',
    setupRequired: false,
    device: 'Chrome on Linux',
    clientAddress: '203.0.113.7',
    refreshHash: 'hash',
  },
};

const SAMPLE_REQUEST_OPTIONS = { options: { challenge: 'Y2hhbGxlbmdl', rpId: 'dialpad.example.com' } };

export const VALID_BEARER = 'Bearer good-token';

export const SAMPLE_DOCTOR_REPORT: DoctorReport = {
  checkedAt: '2026-11-26T10:00:00.000Z',
  nothingToRepair: false,
  setUp: { applicationId: 'a-1', domainId: 'rd-1', domainName: 'vra-local-abcd1234' },
  counts: { users: 1, numbers: 2, identities: 1, pendingSignUps: 0 },
  problems: [
    {
      code: 'number-without-user',
      username: 'bob',
      number: '+19195551213',
      id: 'n-2',
      fixedBy: 'app',
      message: 'The number +19195551213 was ordered for "bob" but belongs to no user or sign-up.',
    },
  ],
  pendingSignUps: [],
};

export interface FakeVoiceApp extends VoiceApp {
  calls: Array<{ method: keyof VoiceApp; args: unknown[] }>;
  /** Make `method` throw `error` from now on. */
  failWith(method: keyof VoiceApp, error: unknown): void;
  healthResult: HealthResponse;
  signUpCreated: boolean;
  /** What handleWebhook answers (empty by default, as on Catapult). */
  webhookReply: WebhookReply;
}

export function createFakeVoiceApp(): FakeVoiceApp {
  const failures = new Map<keyof VoiceApp, unknown>();
  const fake = {
    calls: [] as FakeVoiceApp['calls'],
    healthResult: {
      status: 'ok',
      provider: 'catapult',
      checks: { config: { ok: true }, storage: { ok: true, latencyMs: 3 }, provider: { ok: true, latencyMs: 5 } },
    } as HealthResponse,
    signUpCreated: true,
    webhookReply: {} as WebhookReply,
    failWith(method: keyof VoiceApp, error: unknown) {
      failures.set(method, error);
    },
  };
  const record = async <T>(method: keyof VoiceApp, args: unknown[], answer: () => T): Promise<T> => {
    fake.calls.push({ method, args });
    if (failures.has(method)) throw failures.get(method);
    return answer();
  };
  const voiceApp: VoiceApp = {
    health: () => record('health', [], () => fake.healthResult),
    searchNumbers: (query, origin) =>
      record('searchNumbers', [query, origin], (): NumberSearchResponse => ({
        numbers: [
          {
            number: '+19195551212',
            nationalNumber: '(919) 555-1212',
            city: 'CARY',
            state: 'NC',
            signature: 'ab12cd.0123456789abcdefghijkl',
            signatureExpiresAt: '2026-11-26T10:15:00.000Z',
          },
        ],
      })),
    signUp: (request, origin) =>
      record('signUp', [request, origin], () => ({ created: fake.signUpCreated, session: SAMPLE_SESSION })),
    logIn: (request, origin) => record('logIn', [request, origin], () => SAMPLE_SESSION),
    authenticate: (header, options) =>
      record('authenticate', options === undefined ? [header] : [header, options], (): AuthenticatedUser => {
        if (header !== VALID_BEARER) throw new AppError('unauthorized', 'Log in again.');
        return SAMPLE_AUTHENTICATED;
      }),
    getMe: (user) => record('getMe', [user], () => SAMPLE_USER),
    getSipCredentials: (user) =>
      record('getSipCredentials', [user], (): SipCredentialsView => ({
        sipUri: SAMPLE_SIP_URI,
        username: 'u-alice',
        password: 'sip-password',
        realm: 'vra-local.bwapp.bwsip.io',
        websocketUrl: 'ws://127.0.0.1:8088/sip',
      })),
    rotateSipPassword: (user) =>
      record('rotateSipPassword', [user], (): SipCredentialsView => ({
        sipUri: SAMPLE_SIP_URI,
        username: 'u-alice',
        password: 'rotated-sip-password',
        realm: 'vra-local.bwapp.bwsip.io',
        websocketUrl: 'ws://127.0.0.1:8088/sip',
      })),
    createWebRtcToken: (user) =>
      record('createWebRtcToken', [user], (): WebRtcTokenView => ({
        provider: 'catapult',
        token: 'endpoint-token',
        expiresAt: '2026-11-26T11:00:00.000Z',
        sipUri: SAMPLE_SIP_URI,
        websocketUrl: 'ws://127.0.0.1:8088/sip',
        headerName: 'X-Callsign-Token',
      })),
    listCalls: (user) => record('listCalls', [user], (): CallHistoryResponse => ({ calls: [] })),
    checkDial: (user, number) =>
      record('checkDial', [user, number], (): DialCheckResponse => ({
        allowed: true,
        number: '+19195550100',
        nationalNumber: '(919) 555-0100',
      })),
    handleWebhook: (event: IncomingWebhook) => record('handleWebhook', [event], () => fake.webhookReply),
    runMaintenance: () => record('runMaintenance', [], () => SAMPLE_DOCTOR_REPORT),
    doctor: (request) => record('doctor', [request], () => SAMPLE_DOCTOR_REPORT),
    outboundBreaker: (request) =>
      record('outboundBreaker', [request], () => ({
        open: false,
        minutesThisHour: 12,
        limitMinutesPerHour: 600,
        ...(request.lift ? { lifted: false } : {}),
      })),
    refreshSession: (request, origin) =>
      record('refreshSession', [request, origin], () => ({ token: 'new-token', expiresAt: SAMPLE_SESSION.expiresAt })),
    passkeyLoginOptions: (request) => record('passkeyLoginOptions', [request], () => SAMPLE_REQUEST_OPTIONS),
    logInWithPasskey: (request, origin) => record('logInWithPasskey', [request, origin], () => SAMPLE_SESSION),
    listSessions: (user) => record('listSessions', [user], () => ({ sessions: [] })),
    endSession: (user, sessionId, origin) => record('endSession', [user, sessionId, origin], () => undefined),
    endAllSessions: (user, origin) => record('endAllSessions', [user, origin], () => ({ ended: 2 })),
    passkeyRegistrationOptions: (user) =>
      record('passkeyRegistrationOptions', [user], () => ({
        options: {
          challenge: 'Y2hhbGxlbmdl',
          rp: { id: 'dialpad.example.com', name: 'Voice Reference App' },
          user: { id: 'aGFuZGxl', name: 'alice', displayName: 'alice' },
          pubKeyCredParams: [{ type: 'public-key' as const, alg: -7 }],
        },
      })),
    registerPasskey: (user, request, origin) =>
      record('registerPasskey', [user, request, origin], () => ({
        id: 'Y3JlZA',
        name: 'Chrome on Linux',
        createdAt: '2026-11-26T10:00:00.000Z',
        backedUp: false,
      })),
    listPasskeys: (user) => record('listPasskeys', [user], () => ({ available: true, required: false, passkeys: [] })),
    removePasskey: (user, passkeyId, origin) => record('removePasskey', [user, passkeyId, origin], () => undefined),
    stepUpOptions: (user) => record('stepUpOptions', [user], () => SAMPLE_REQUEST_OPTIONS),
    stepUp: (user, request, origin) =>
      record('stepUp', [user, request, origin], () => ({ verifiedUntil: '2026-11-26T10:05:00.000Z' })),
    declineCall: (user, callId) => record('declineCall', [user, callId], () => undefined),
    listVoicemails: (user) => record('listVoicemails', [user], () => ({ voicemails: [SAMPLE_VOICEMAIL], unread: 1 })),
    getVoicemailAudio: (user, id) => record('getVoicemailAudio', [user, id], () => sampleAudio()),
    updateVoicemail: (user, id, body) =>
      record('updateVoicemail', [user, id, body], () => ({ ...SAMPLE_VOICEMAIL, read: true })),
    deleteVoicemail: (user, id) => record('deleteVoicemail', [user, id], () => undefined),
    saveGreeting: (user, audio) => record('saveGreeting', [user, audio], () => ({ durationSeconds: 2 })),
    getGreeting: (user) => record('getGreeting', [user], () => sampleAudio()),
    deleteGreeting: (user) => record('deleteGreeting', [user], () => undefined),
    openGreetingLink: (username, expires, sig) =>
      record('openGreetingLink', [username, expires, sig], () => sampleAudio()),
    endOverdueCalls: () => record('endOverdueCalls', [], () => 0),
    negotiateNotifications: (user) =>
      record('negotiateNotifications', [user], (): NotificationsAccess => ({
        url: 'ws://127.0.0.1:5555/client/hubs/calls?access_token=a.b.c',
        expiresAt: '2026-11-26T11:00:00.000Z',
      })),
  };
  return Object.assign(fake, voiceApp);
}

function sampleAudio() {
  return { stream: Readable.from([SAMPLE_AUDIO]), contentType: 'audio/wav', sizeBytes: SAMPLE_AUDIO.byteLength };
}
