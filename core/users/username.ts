// The username rule: it becomes a Table Storage key, a SIP endpoint name and part of a SIP URI,
// so only a small, case-insensitive alphabet is allowed.
import { AppError } from '../errors';

const ALLOWED = /^[a-z0-9._-]+$/;
const EDGE = /^[a-z0-9](.*[a-z0-9])?$/;

/** Trims and lowercases; throws AppError('invalid-username') with a message saying what is wrong. */
export function normalizeUsername(input: unknown): string {
  if (typeof input !== 'string') throw invalid('A username is required.');
  const username = input.trim().toLowerCase();
  if (username.length < 3 || username.length > 32) throw invalid('A username must be 3 to 32 characters long.');
  if (!ALLOWED.test(username)) throw invalid('A username may contain only letters, digits, ".", "_" and "-".');
  if (!EDGE.test(username)) throw invalid('A username must start and end with a letter or a digit.');
  return username;
}

function invalid(message: string): AppError {
  return new AppError('invalid-username', message, 'username');
}
