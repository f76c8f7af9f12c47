// A VoiceApp double for handler tests: every method answers a canned value (or throws what the
// test sets) and records the arguments it was called with.
import type {
  CallHistoryResponse,
  DialCheckResponse,
  HealthResponse,
  NotificationsAccess,
  NumberSearchResponse,
  SessionResponse,
  SipCredentialsView,
  UserView,
  WebRtcTokenView,
} from '../../core/api-types';
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

export const SAMPLE_SESSION: SessionResponse = {
  user: SAMPLE_USER,
  token: 'session-token',
  expiresAt: '2026-11-27T10:00:00.000Z',
};

export const VALID_BEARER = 'Bearer good-token';

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
    authenticate: (header) =>
      record('authenticate', [header], (): AuthenticatedUser => {
        if (header !== VALID_BEARER) throw new AppError('unauthorized', 'Log in again.');
        return { username: 'alice' };
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
    declineCall: (user, callId) => record('declineCall', [user, callId], () => undefined),
    endOverdueCalls: () => record('endOverdueCalls', [], () => 0),
    negotiateNotifications: (user) =>
      record('negotiateNotifications', [user], (): NotificationsAccess => ({
        url: 'ws://127.0.0.1:5555/client/hubs/calls?access_token=a.b.c',
        expiresAt: '2026-11-26T11:00:00.000Z',
      })),
  };
  return Object.assign(fake, voiceApp);
}
