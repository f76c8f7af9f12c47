// The WebAuthn user handle: random and meaningless, because the authenticator stores it and the spec asks that it
// identify no person (never the username).
import { randomBytes } from 'node:crypto';

export function newUserHandle(): string {
  return randomBytes(16).toString('base64url');
}
