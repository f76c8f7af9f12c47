// A guarded VoiceApp over a scripted core (what the guard delegates to) and an in-memory limits table:
// the guard's rules tested without a provider. The core keeps users in a map, like the real one would.
import type {
  AvailableNumberView,
  HealthResponse,
  SessionResponse,
  SignUpRequest,
} from '../../../../../core/api-types';
import { deriveKeys } from '../../../../../core/crypto/derive-keys';
import { AppError } from '../../../../../core/errors';
import { guardVoiceApp, type UnguardedVoiceApp } from '../../../../../core/limits/guard';
import { WindowCounters } from '../../../../../core/limits/window-counters';
import { MemoryEntityTable } from '../../../../../core/storage/memory-entity-table';
import { testConfig } from '../../support/test-config';

export const T0 = Date.parse('2026-11-26T10:20:00Z');

export const LOCAL: AvailableNumberView = {
  number: '+19195551001',
  nationalNumber: '(919) 555-1001',
  city: 'CARY',
  state: 'NC',
};
export const LOCAL_2: AvailableNumberView = { ...LOCAL, number: '+19195551002', nationalNumber: '(919) 555-1002' };
export const TOLL_FREE: AvailableNumberView = {
  number: '+18005551212',
  nationalNumber: '(800) 555-1212',
  city: '',
  state: '',
};

/** What the core was asked, in order: e.g. "searchNumbers", "signUp alice". */
export type CoreCall = string;

export function guardedApp(env: Record<string, string> = {}) {
  const config = testConfig(env);
  const clock = { now: T0 };
  const table = new MemoryEntityTable('limits');
  const calls: CoreCall[] = [];
  const users = new Map<string, string>(); // username → number
  const core = {
    searchResult: [LOCAL, LOCAL_2, TOLL_FREE],
    /** Set to make the core's searches fail with this error. */
    searchFailure: undefined as AppError | undefined,
    /** Set to make the core's next signUp fail with this error. */
    signUpFailure: undefined as AppError | undefined,
    health: { status: 'ok', checks: {} } as unknown as HealthResponse,
  };
  const session = (username: string): SessionResponse => ({
    token: `token-${username}`,
    expiresAt: new Date(clock.now + 3_600_000).toISOString(),
    refreshToken: `refresh-${username}`,
    refreshExpiresAt: new Date(clock.now + 86_400_000).toISOString(),
    sessionId: `session-${username}`,
    passkeySetup: 'none',
    user: {
      username,
      number: users.get(username)!,
      nationalNumber: '',
      sipUri: `sip:${username}@x`,
      createdAt: '',
    },
  });
  const unguarded: Partial<UnguardedVoiceApp> = {
    async health() {
      calls.push('health');
      return core.health;
    },
    async searchNumbers(query) {
      calls.push(`searchNumbers ${JSON.stringify(query)}`);
      if (core.searchFailure) throw core.searchFailure;
      return { numbers: core.searchResult };
    },
    async signUp(request: SignUpRequest) {
      calls.push(`signUp ${request.username}`);
      const existing = users.get(request.username);
      if (existing !== undefined) {
        if (existing !== request.number) throw new AppError('username-taken', 'That username is taken.');
        return { created: false, session: session(request.username) };
      }
      const failure = core.signUpFailure;
      core.signUpFailure = undefined;
      if (failure) throw failure;
      users.set(request.username, request.number);
      return { created: true, session: session(request.username) };
    },
    async userExists(username) {
      return users.has(username.trim().toLowerCase()); // as the core's username rule does
    },
    async logIn(request) {
      const username = request.username.trim().toLowerCase(); // as the core's username rule does
      calls.push(`logIn ${username}`);
      if (!users.has(username)) throw new AppError('user-not-found', 'No account has this username.');
      return session(username);
    },
  };
  const app = guardVoiceApp(unguarded as UnguardedVoiceApp, {
    settings: config.limits,
    offerKey: deriveKeys(config.appSecret).numberOfferKey,
    table,
    now: () => clock.now,
  });
  const counters = new WindowCounters({ table, now: () => clock.now });
  return { app, core, calls, users, clock, table, counters, config };
}

export const origin = (clientAddress = '203.0.113.7') => ({ clientAddress });
