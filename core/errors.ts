// AppError: the one error type the core throws for anything a client should see.
// functions/http.ts maps it to `{ error: { code, message } }` with its status; anything else becomes 500.
import type { ApiErrorCode } from './api-types';

const STATUS: Record<ApiErrorCode, number> = {
  'invalid-json': 400,
  'invalid-username': 400,
  'invalid-number': 400,
  'invalid-search': 400,
  'username-taken': 409,
  'number-unavailable': 409,
  'signup-in-progress': 409,
  'user-not-found': 404,
  unauthorized: 401,
  'webhook-unauthorized': 401,
  'call-not-found': 404,
  'sip-account-unavailable': 409,
  'not-found': 404,
  'method-not-allowed': 405,
  'provider-unavailable': 503,
  'provider-rate-limited': 503,
  'provider-rejected': 502,
  'provider-resources-missing': 503,
  'storage-unavailable': 503,
  'config-invalid': 500,
  'internal-error': 500,
  'unsupported-media-type': 415,
  'number-not-offered': 403,
  'number-offer-expired': 403,
  'signup-code-required': 403,
  'signup-code-invalid': 403,
  'too-many-signups': 429,
  'signups-paused': 429,
  'user-limit-reached': 403,
  'too-many-searches': 429,
  'too-many-logins': 429,
  'passkey-required': 403,
  'passkey-setup-required': 403,
  'step-up-required': 403,
  'passkey-invalid': 400,
  'passkey-challenge-invalid': 400,
  'passkey-not-found': 404,
  'passkeys-unavailable': 409,
  'session-not-found': 404,
  'voicemail-not-found': 404,
  'invalid-voicemail-update': 400,
  'invalid-greeting': 400,
  'greeting-not-found': 404,
  'rate-limited': 429,
};

export class AppError extends Error {
  readonly status: number;
  /** Seconds until a retry can succeed (a refused limit): the Retry-After header. */
  readonly retryAfterSeconds?: number;
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly field?: string,
    options?: { cause?: unknown; retryAfterSeconds?: number },
  ) {
    super(message, options);
    this.name = 'AppError';
    this.status = STATUS[code];
    if (options?.retryAfterSeconds !== undefined) this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
