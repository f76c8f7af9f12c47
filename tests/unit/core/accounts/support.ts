// An app with passkeys on (in-memory tables, a fake Catapult, a settable clock) and a soft authenticator on the
// dialpad's origin, for the account tests.
import type { SessionResponse } from '../../../../core/api-types';
import { isAppError } from '../../../../core/errors';
import type { RequestOrigin } from '../../../../core/voice-app';
import { SoftAuthenticator } from '../../../support/soft-authenticator';
import { makeApp } from '../support/make-app';

export const DIALPAD_ORIGIN = 'https://dialpad.example.com';
export const PHONE: RequestOrigin = {
  clientAddress: '203.0.113.7',
  userAgent: 'Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36',
};
export const LAPTOP: RequestOrigin = {
  clientAddress: '198.51.100.20',
  userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
};

let numberCounter = 1000;

export function accountsApp(env: Record<string, string> = {}, overrides: Parameters<typeof makeApp>[0] = {}) {
  const made = makeApp(overrides, { DIALPAD_ORIGIN, ...env });
  const authenticator = new SoftAuthenticator(DIALPAD_ORIGIN);
  const signUp = async (username: string, origin: RequestOrigin = PHONE): Promise<SessionResponse> => {
    numberCounter += 1;
    const number = `+1919555${numberCounter}`;
    made.catapult.available.add(number);
    const { session } = await made.app.signUp({ username, number }, origin);
    return session;
  };
  const bearer = (session: { token: string }) => `Bearer ${session.token}`;
  /** Registers a passkey from the soft authenticator in `session`. */
  const addPasskey = async (session: SessionResponse, auth = authenticator) => {
    const user = await made.app.authenticate(bearer(session), { forPasskeySetup: true });
    const { options } = await made.app.passkeyRegistrationOptions(user);
    return made.app.registerPasskey(user, { response: auth.register(options) }, PHONE);
  };
  /** A passkey log-in from the soft authenticator (discoverable: no username). */
  const passkeyLogIn = async (origin: RequestOrigin = PHONE, auth = authenticator) => {
    const { options } = await made.app.passkeyLoginOptions({});
    return made.app.logInWithPasskey({ response: auth.authenticate(options) }, origin);
  };
  return { ...made, authenticator, signUp, bearer, addPasskey, passkeyLogIn };
}

export const code = (expected: string) => (error: unknown) => isAppError(error) && error.code === expected;
