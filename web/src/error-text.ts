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
};

export function errorText(error: ApiError): string {
  return TEXT[error.code] ?? error.message;
}
