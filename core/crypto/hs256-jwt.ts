// Compact JWTs signed with HS256 (RFC 7519, RFC 7515), for services that accept them signed with a shared key
// (Azure Web PubSub's access key). Signing only: the app never has to verify these.
import { createHmac } from 'node:crypto';

const HEADER = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));

export function signHs256Jwt(claims: Record<string, string | number>, key: string | Buffer): string {
  const input = `${HEADER}.${base64url(JSON.stringify(claims))}`;
  return `${input}.${createHmac('sha256', key).update(input).digest('base64url')}`;
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}
