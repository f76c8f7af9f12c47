// HTTP digest for SIP (RFC 2617 + RFC 3261 §22): MD5 with qop=auth, as JsSIP answers a 401/407.
// Nonces are random, remembered for NONCE_TTL_MS, and a stale one is reported as `stale=true` so the
// client re-authenticates without treating it as a wrong password.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { parseDigestParams } from './sip-header-values';

const NONCE_TTL_MS = 5 * 60_000;

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

export function digestResponse(input: {
  username: string;
  realm: string;
  password: string;
  method: string;
  uri: string;
  nonce: string;
  nc?: string;
  cnonce?: string;
  qop?: string;
}): string {
  const ha1 = md5(`${input.username}:${input.realm}:${input.password}`);
  const ha2 = md5(`${input.method}:${input.uri}`);
  if (input.qop) return md5(`${ha1}:${input.nonce}:${input.nc}:${input.cnonce}:${input.qop}:${ha2}`);
  return md5(`${ha1}:${input.nonce}:${ha2}`);
}

export type DigestCheck =
  | { ok: true }
  | { ok: false; reason: 'not-digest' | 'realm-mismatch' | 'stale-nonce' | 'bad-response' | 'missing-fields' };

/** Credentials in an Authorization/Proxy-Authorization header, before the password is known. */
export interface DigestCredentials {
  username: string;
  realm: string;
  params: Record<string, string>;
}

export function readDigestCredentials(header: string | undefined): DigestCredentials | undefined {
  const params = header === undefined ? undefined : parseDigestParams(header);
  if (!params || !params.username || params.realm === undefined) return undefined;
  return { username: params.username, realm: params.realm, params };
}

export class DigestAuthenticator {
  private readonly nonces = new Map<string, number>(); // nonce → issued at (epoch ms)

  constructor(private readonly now: () => number) {}

  /** A `WWW-Authenticate`/`Proxy-Authenticate` value. */
  challenge(realm: string, stale = false): string {
    this.sweep();
    const nonce = randomBytes(16).toString('hex');
    this.nonces.set(nonce, this.now());
    return `Digest realm="${realm}", nonce="${nonce}", algorithm=MD5, qop="auth"${stale ? ', stale=true' : ''}`;
  }

  verify(credentials: DigestCredentials, expected: { realm: string; password: string; method: string }): DigestCheck {
    const p = credentials.params;
    if (credentials.realm.toLowerCase() !== expected.realm.toLowerCase())
      return { ok: false, reason: 'realm-mismatch' };
    if (!p.nonce || !p.uri || !p.response) return { ok: false, reason: 'missing-fields' };
    if (p.algorithm && p.algorithm.toUpperCase() !== 'MD5') return { ok: false, reason: 'not-digest' };
    if (p.qop && (p.qop !== 'auth' || !p.nc || !p.cnonce)) return { ok: false, reason: 'missing-fields' };
    const issuedAt = this.nonces.get(p.nonce);
    if (issuedAt === undefined || this.now() - issuedAt > NONCE_TTL_MS) return { ok: false, reason: 'stale-nonce' };
    const wanted = digestResponse({
      username: credentials.username,
      realm: credentials.realm,
      password: expected.password,
      method: expected.method,
      uri: p.uri,
      nonce: p.nonce,
      nc: p.nc,
      cnonce: p.cnonce,
      qop: p.qop,
    });
    const given = Buffer.from(p.response.toLowerCase().padEnd(32, '0').slice(0, 32));
    const match = p.response.length === 32 && timingSafeEqual(given, Buffer.from(wanted));
    return match ? { ok: true } : { ok: false, reason: 'bad-response' };
  }

  private sweep(): void {
    const cutoff = this.now() - NONCE_TTL_MS;
    for (const [nonce, issuedAt] of this.nonces) if (issuedAt < cutoff) this.nonces.delete(nonce);
  }
}
