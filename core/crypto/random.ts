// Random names and passwords from the CSPRNG (Bandwidth's apps used Math.random, docs/contracts/catapult-v1.md §18.3).
import { randomInt } from 'node:crypto';

const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const PASSWORD_CHARS = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

function pick(alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

/** Lowercase letters and digits: safe in a DNS label and in Catapult resource names. */
export function randomSuffix(length: number): string {
  return pick(LOWER_ALNUM, length);
}

/** A SIP password: Latin-1 letters and digits only (Catapult rule), no look-alike characters. */
export function randomPassword(length = 24): string {
  return pick(PASSWORD_CHARS, length);
}
