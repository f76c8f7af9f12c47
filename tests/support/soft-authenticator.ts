// A software passkey authenticator for Node tests: real P-256 keys, real authenticator data, real signatures, in
// the WebAuthn JSON encoding a browser posts. Each option bends one rule a real authenticator or browser keeps
// (another origin, no user verification, a stale counter…) so tests can show the server refuses it.
// Browser tests use Chromium's own virtual authenticator instead (tests/e2e/support/virtual-authenticator.ts).
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';

export interface SoftCredential {
  id: string; // base64url
  privateKey: KeyObject;
  publicKey: KeyObject;
  userHandle: string;
  rpId: string;
  counter: number;
}

export interface CeremonyOptions {
  /** The page's origin as the browser reports it (default: the authenticator's origin). */
  origin?: string;
  /** Hash this RP id into the authenticator data instead of the options' one. */
  rpId?: string;
  /** Leave the user-verified flag unset. */
  withoutUserVerification?: boolean;
  /** Answer this challenge instead of the options' one. */
  challenge?: string;
  /** Omit the user handle (a non-discoverable credential answering an allow-list). */
  withoutUserHandle?: boolean;
  /** Sign with this key instead of the credential's. */
  signWith?: KeyObject;
  /** Report this counter instead of the next one. */
  counter?: number;
}

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_AT = 0x40;

export class SoftAuthenticator {
  readonly credentials: SoftCredential[] = [];

  constructor(readonly origin: string) {}

  /** Answers registration options like navigator.credentials.create. */
  register(options: PublicKeyCredentialCreationOptionsJSON, bend: CeremonyOptions = {}): RegistrationResponseJSON {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const id = randomBytes(16).toString('base64url');
    const rpId = options.rp.id ?? new URL(this.origin).hostname;
    const credential: SoftCredential = { id, privateKey, publicKey, userHandle: options.user.id, rpId, counter: 0 };
    const jwk = publicKey.export({ format: 'jwk' });
    const coseKey = new Map<number, unknown>([
      [1, 2], // kty: EC2
      [3, -7], // alg: ES256
      [-1, 1], // crv: P-256
      [-2, Buffer.from(jwk.x!, 'base64url')],
      [-3, Buffer.from(jwk.y!, 'base64url')],
    ]);
    const idBytes = Buffer.from(id, 'base64url');
    const attested = Buffer.concat([
      Buffer.alloc(16), // AAGUID
      Buffer.from([idBytes.length >> 8, idBytes.length & 0xff]),
      idBytes,
      cbor(coseKey),
    ]);
    const flags = FLAG_UP | FLAG_AT | (bend.withoutUserVerification ? 0 : FLAG_UV);
    const authData = Buffer.concat([authenticatorData(bend.rpId ?? rpId, flags, bend.counter ?? 0), attested]);
    const clientData = clientDataJSON(
      'webauthn.create',
      bend.challenge ?? options.challenge,
      bend.origin ?? this.origin,
    );
    this.credentials.push(credential);
    return {
      id,
      rawId: id,
      type: 'public-key',
      clientExtensionResults: {},
      response: {
        clientDataJSON: clientData.toString('base64url'),
        attestationObject: cbor(
          new Map<string, unknown>([
            ['fmt', 'none'],
            ['attStmt', new Map()],
            ['authData', authData],
          ]),
        ).toString('base64url'),
        transports: ['internal'],
      },
    };
  }

  /** Answers request options like navigator.credentials.get, with `credential` (default: the allowed/first one). */
  authenticate(
    options: PublicKeyCredentialRequestOptionsJSON,
    bend: CeremonyOptions = {},
    credential = this.pick(options),
  ): AuthenticationResponseJSON {
    credential.counter += 1;
    const flags = FLAG_UP | (bend.withoutUserVerification ? 0 : FLAG_UV);
    const authData = authenticatorData(bend.rpId ?? credential.rpId, flags, bend.counter ?? credential.counter);
    const clientData = clientDataJSON('webauthn.get', bend.challenge ?? options.challenge, bend.origin ?? this.origin);
    const signed = Buffer.concat([authData, createHash('sha256').update(clientData).digest()]);
    return {
      id: credential.id,
      rawId: credential.id,
      type: 'public-key',
      clientExtensionResults: {},
      response: {
        clientDataJSON: clientData.toString('base64url'),
        authenticatorData: authData.toString('base64url'),
        signature: sign('sha256', signed, bend.signWith ?? credential.privateKey).toString('base64url'),
        ...(bend.withoutUserHandle ? {} : { userHandle: credential.userHandle }),
      },
    };
  }

  private pick(options: PublicKeyCredentialRequestOptionsJSON): SoftCredential {
    const allowed = options.allowCredentials?.map((c) => c.id) ?? [];
    const found = this.credentials.find((c) => allowed.length === 0 || allowed.includes(c.id));
    if (!found) throw new Error('the soft authenticator holds no credential these options allow');
    return found;
  }
}

function authenticatorData(rpId: string, flags: number, counter: number): Buffer {
  const count = Buffer.alloc(4);
  count.writeUInt32BE(counter);
  return Buffer.concat([createHash('sha256').update(rpId).digest(), Buffer.from([flags]), count]);
}

function clientDataJSON(type: string, challenge: string, origin: string): Buffer {
  return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
}

/** The CBOR subset an attestation object needs: maps, byte and text strings, small integers. */
function cbor(value: unknown): Buffer {
  const head = (major: number, length: number): Buffer => {
    if (length < 24) return Buffer.from([(major << 5) | length]);
    if (length < 256) return Buffer.from([(major << 5) | 24, length]);
    return Buffer.from([(major << 5) | 25, length >> 8, length & 0xff]);
  };
  if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === 'string') return Buffer.concat([head(3, Buffer.byteLength(value)), Buffer.from(value)]);
  if (Buffer.isBuffer(value)) return Buffer.concat([head(2, value.length), value]);
  if (value instanceof Map) {
    const parts = [head(5, value.size)];
    for (const [key, item] of value) parts.push(cbor(key), cbor(item));
    return Buffer.concat(parts);
  }
  throw new Error(`cbor: cannot encode ${typeof value}`);
}
