// The WebAuthn ceremonies, through @simplewebauthn/server (the conventional library: it checks the origin, the
// relying party id hash, the user-presence and user-verification flags, the signature and the counter). Loaded on
// first use, not at module load: no cold start pays for it (scripts/package.ts bundles it apart, LAZY_PACKAGES).
import type {
  AuthenticationResponseJSON,
  AuthenticatorTransportFuture,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';

export type { AuthenticationResponseJSON, RegistrationResponseJSON };

export interface RelyingParty {
  /** Shown by the browser and the authenticator ("Save a passkey for <name>"). */
  name: string;
  /** The dialpad origin's host name. */
  id: string;
  /** The dialpad origin: the only origin whose passkey responses are accepted. */
  origin: string;
}

export interface StoredCredential {
  credentialId: string;
  publicKey: string; // base64url
  counter: number;
  transports: AuthenticatorTransportFuture[];
}

export interface NewCredential extends StoredCredential {
  deviceType: string;
  backedUp: boolean;
}

/** How long the browser waits for the person (the challenge itself lives longer, CHALLENGE_TTL_MS). */
const CEREMONY_TIMEOUT_MS = 120_000;

function webauthn(): typeof import('@simplewebauthn/server') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, not at start (cold start; see above)
  return require('@simplewebauthn/server') as typeof import('@simplewebauthn/server');
}

export function registrationOptions(
  rp: RelyingParty,
  user: { username: string; userHandle: string },
  challenge: string,
  exclude: StoredCredential[],
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  return webauthn().generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userName: user.username,
    userDisplayName: user.username,
    userID: new Uint8Array(Buffer.from(user.userHandle, 'base64url')),
    challenge: Buffer.from(challenge, 'base64url'),
    timeout: CEREMONY_TIMEOUT_MS,
    attestationType: 'none',
    excludeCredentials: exclude.map((c) => ({ id: c.credentialId, transports: c.transports })),
    // A discoverable credential lets the person log in without typing the username; UV = the device's lock.
    authenticatorSelection: { residentKey: 'preferred', userVerification: 'required' },
  });
}

export function authenticationOptions(
  rp: RelyingParty,
  challenge: string,
  allow: StoredCredential[],
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  return webauthn().generateAuthenticationOptions({
    rpID: rp.id,
    challenge: Buffer.from(challenge, 'base64url'),
    timeout: CEREMONY_TIMEOUT_MS,
    userVerification: 'required',
    allowCredentials: allow.map((c) => ({ id: c.credentialId, transports: c.transports })),
  });
}

/** The new credential, or undefined when the response does not verify (any reason). */
export async function verifyRegistration(
  rp: RelyingParty,
  response: RegistrationResponseJSON,
  expectChallenge: (challenge: string) => boolean,
): Promise<NewCredential | undefined> {
  const result = await webauthn().verifyRegistrationResponse({
    response,
    expectedChallenge: expectChallenge,
    expectedOrigin: rp.origin,
    expectedRPID: rp.id,
    requireUserVerification: true,
  });
  if (!result.verified) return undefined;
  const { credential, credentialDeviceType, credentialBackedUp } = result.registrationInfo;
  return {
    credentialId: credential.id,
    publicKey: Buffer.from(credential.publicKey).toString('base64url'),
    counter: credential.counter,
    transports: credential.transports ?? response.response.transports ?? [],
    deviceType: credentialDeviceType,
    backedUp: credentialBackedUp,
  };
}

/** The authenticator's new counter, or undefined when the response does not verify (any reason). */
export async function verifyAuthentication(
  rp: RelyingParty,
  response: AuthenticationResponseJSON,
  credential: StoredCredential,
  expectChallenge: (challenge: string) => boolean,
): Promise<{ counter: number; backedUp: boolean } | undefined> {
  const result = await webauthn().verifyAuthenticationResponse({
    response,
    expectedChallenge: expectChallenge,
    expectedOrigin: rp.origin,
    expectedRPID: rp.id,
    requireUserVerification: true,
    credential: {
      id: credential.credentialId,
      publicKey: new Uint8Array(Buffer.from(credential.publicKey, 'base64url')),
      counter: credential.counter,
      transports: credential.transports,
    },
  });
  if (!result.verified) return undefined;
  return { counter: result.authenticationInfo.newCounter, backedUp: result.authenticationInfo.credentialBackedUp };
}

/** The challenge a response answers (from its clientDataJSON), or undefined when unreadable. */
export function challengeOf(response: { response?: { clientDataJSON?: unknown } }): string | undefined {
  const data = response.response?.clientDataJSON;
  if (typeof data !== 'string' || data.length > 4096) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(data, 'base64url').toString('utf8')) as { challenge?: unknown };
    return typeof parsed.challenge === 'string' ? parsed.challenge : undefined;
  } catch {
    return undefined;
  }
}
