// HTTP Basic `apiToken:apiSecret`, the only credential Catapult v1 takes (docs/contracts/catapult-v1.md §1).
import { timingSafeEqual } from 'node:crypto';
import { catapultError, SandboxHttpError } from '../errors';
import type { SandboxAccount } from '../context';

export function parseBasicAuth(header: string | undefined): { user: string; password: string } | undefined {
  if (header === undefined) return undefined;
  const match = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** Same-length constant-time compare, so a wrong secret cannot be guessed byte by byte from timings. */
export function secretsEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export function authenticate(
  header: string | undefined,
  findByToken: (apiToken: string) => SandboxAccount | undefined,
): SandboxAccount {
  const credentials = parseBasicAuth(header);
  const account = credentials && findByToken(credentials.user);
  if (!credentials || !account || !secretsEqual(account.apiSecret, credentials.password)) {
    // [undocumented] code: Catapult's docs name only the category and status for bad credentials.
    const { body } = catapultError(
      401,
      'authentication',
      'authentication-failed',
      credentials ? 'The API token or secret is not valid' : 'HTTP Basic credentials (apiToken:apiSecret) are required',
    );
    throw new SandboxHttpError(401, body, { 'WWW-Authenticate': 'Basic realm="Catapult"' });
  }
  return account;
}
