// OAuth2 client credentials (RFC 6749 §4.4), as Bandwidth's token endpoint serves them: HTTP Basic
// clientId:clientSecret and the form `grant_type=client_credentials` → `{access_token, token_type, expires_in}`.
// Each credential has a role: the account credential may use the Numbers and Voice APIs, the In-App Calling
// credential only the gateway (docs/contracts/bandwidth-v2.md §1). Tokens expire on the sandbox's clock (tests
// pass a fake one).
import { randomBytes } from 'node:crypto';
import { parseBasicAuth, secretsEqual } from '../../rest/basic-auth';
import { BandwidthHttpError } from './bw-errors';

export type CredentialRole = 'account' | 'webrtc';

export interface BandwidthCredential {
  clientId: string;
  clientSecret: string;
  role: CredentialRole;
}

interface IssuedToken {
  role: CredentialRole;
  clientId: string;
  expiresAt: number; // epoch ms on the sandbox's clock
}

export type TokenCheck = { ok: true; role: CredentialRole } | { ok: false; reason: 'missing' | 'unknown' | 'expired' };

export class TokenIssuer {
  private readonly tokens = new Map<string, IssuedToken>();

  constructor(
    private readonly credentials: readonly BandwidthCredential[],
    private readonly options: { now: () => number; ttlSeconds: () => number },
  ) {}

  /** POST /api/v1/oauth2/token. Errors are RFC 6749 §5.2 JSON. */
  issue(authorization: string | undefined, contentType: string | undefined, body: string): Record<string, unknown> {
    const basic = parseBasicAuth(authorization);
    const credential =
      basic && this.credentials.find((c) => c.clientId === basic.user && secretsEqual(c.clientSecret, basic.password));
    if (!credential) {
      throw new BandwidthHttpError(
        401,
        { error: 'invalid_client', error_description: 'Client authentication failed' },
        { 'WWW-Authenticate': 'Basic realm="oauth2"' },
      );
    }
    if (contentType === undefined || !/^application\/x-www-form-urlencoded\b/i.test(contentType)) {
      throw new BandwidthHttpError(400, {
        error: 'invalid_request',
        error_description: 'The body must be application/x-www-form-urlencoded',
      });
    }
    const form = new URLSearchParams(body);
    const grant = form.get('grant_type');
    if (grant === null) {
      throw new BandwidthHttpError(400, { error: 'invalid_request', error_description: 'grant_type is required' });
    }
    if (grant !== 'client_credentials') {
      throw new BandwidthHttpError(400, {
        error: 'unsupported_grant_type',
        error_description: `grant_type '${grant}' is not supported`,
      });
    }
    const ttl = this.options.ttlSeconds();
    const token = randomBytes(32).toString('base64url');
    this.tokens.set(token, {
      role: credential.role,
      clientId: credential.clientId,
      expiresAt: this.options.now() + ttl * 1000,
    });
    return { access_token: token, token_type: 'Bearer', expires_in: ttl };
  }

  /** Checks `Authorization: Bearer <token>` (or a bare token). */
  check(authorization: string | undefined): TokenCheck {
    if (authorization === undefined) return { ok: false, reason: 'missing' };
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization.trim());
    if (!match) return { ok: false, reason: 'missing' };
    const issued = this.tokens.get(match[1]!);
    if (!issued) return { ok: false, reason: 'unknown' };
    if (issued.expiresAt <= this.options.now()) return { ok: false, reason: 'expired' };
    return { ok: true, role: issued.role };
  }

  /** Makes every token issued so far invalid (control API: simulates a revoked credential). */
  revokeAll(): void {
    this.tokens.clear();
  }
}
