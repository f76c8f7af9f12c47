// Catapult ids are a type prefix plus 25 lower-case alphanumerics (docs/contracts/catapult-v1.md §1), e.g.
// `rd-3kfl2yi4ja6npquwxpnpqji`.
import { randomInt } from 'node:crypto';

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export type IdPrefix = 'u' | 'a' | 'n' | 'c' | 'rd' | 're' | 'ev' | 'br' | 'f' | 'h' | 'rec';

export function newId(prefix: IdPrefix): string {
  let suffix = '';
  for (let i = 0; i < 25; i += 1) suffix += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  return `${prefix}-${suffix}`;
}

/** A secret or token: URL-safe, 32 random bytes. */
export function newSecret(): string {
  let out = '';
  for (let i = 0; i < 43; i += 1)
    out += 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_'[randomInt(64)];
  return out;
}
