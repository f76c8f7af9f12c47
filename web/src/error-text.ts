// What to tell a person for each error code. The server's message is already safe to show;
// these replace it where the dialpad can say more precisely what to do next.
import type { ApiError } from './api';

const TEXT: Partial<Record<ApiError['code'], string>> = {
  'provider-unavailable': 'The phone network is not answering right now. Please try again in a minute.',
  'provider-rate-limited': 'The phone network is busy right now. Please try again in a minute.',
  'provider-rejected': 'The phone network refused the request. Please try a different choice.',
  'provider-resources-missing': 'The app is reconnecting to the phone network. Please try again in a minute.',
  'storage-unavailable': 'Our service is having trouble right now. Please try again in a minute.',
  'signup-in-progress': 'Your sign-up is still being processed. Please try again in a few seconds.',
  'number-unavailable': 'Someone else just took that number. Pick another one.',
  'username-taken': 'That username is taken. Choose another one, or log in if it is yours.',
  'internal-error': 'Something went wrong on our side. Please try again.',
  'number-offer-expired': 'That number was offered too long ago. Here are fresh numbers: pick one again.',
  'number-not-offered': 'That number can no longer be ordered. Here are fresh numbers: pick one again.',
  'signup-code-required': 'Sign-up is by invitation. Enter your invitation code.',
  'signup-code-invalid': 'That invitation code is not valid. Check it and try again.',
  'too-many-signups': 'Too many accounts were created from your network recently.',
  'signups-paused': 'New sign-ups are paused for today.',
  'user-limit-reached': 'This service is not taking new accounts right now.',
  'too-many-searches': 'Too many number searches from your network.',
  'too-many-logins': 'Too many log-in attempts.',
  'unsupported-media-type': 'The request was not sent the way this app sends it. Reload the page and try again.',
  'passkey-invalid': 'That passkey did not work for this account. Try again, or use another passkey.',
  'passkey-challenge-invalid': 'The passkey request expired. Please try again.',
  'passkey-setup-required': 'Add a passkey to your account first.',
  'rate-limited': 'Too many attempts to connect the phone. Please wait a while, then try again.',
};

/** Refusals that lift by themselves: the text says when. */
const WAIT_CODES: ReadonlySet<ApiError['code']> = new Set([
  'too-many-signups',
  'signups-paused',
  'too-many-searches',
  'too-many-logins',
]);

export function errorText(error: ApiError): string {
  const text = TEXT[error.code] ?? error.message;
  if (!WAIT_CODES.has(error.code)) return text;
  return `${text} ${error.retryAfterSeconds === undefined ? 'Please try again later.' : `Please try again ${waitText(error.retryAfterSeconds)}.`}`;
}

/** "in a minute", "in 42 minutes", "in about 3 hours". */
export function waitText(seconds: number): string {
  if (seconds <= 60) return 'in a minute';
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 90) return `in ${minutes} minutes`;
  return `in about ${Math.round(minutes / 60)} hours`;
}
