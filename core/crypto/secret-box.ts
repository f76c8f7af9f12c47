// AES-256-GCM for SIP passwords at rest. The username is bound as associated data, so a ciphertext copied
// onto another user's row does not decrypt. Format: "v1.<iv>.<ciphertext>.<tag>" (base64url parts).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export function encryptSecret(key: Buffer, plaintext: string, associatedData: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', iv, ciphertext, cipher.getAuthTag()]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

/** Throws when the value was tampered with, encrypted under another key, or bound to other data. */
export function decryptSecret(key: Buffer, sealed: string, associatedData: string): string {
  const [version, iv, ciphertext, tag, ...extra] = sealed.split('.');
  if (version !== 'v1' || iv === undefined || ciphertext === undefined || tag === undefined || extra.length > 0) {
    throw new Error('Unrecognised sealed secret format');
  }
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(associatedData, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
}
