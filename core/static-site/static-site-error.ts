// The one error publishing the dialpad throws, with a stable code the caller logs (never a connection string).

export type StaticSiteErrorCode =
  | 'dialpad-missing' // the release carries no built dialpad (no index.html): a packaging fault
  | 'storage-rejected' // storage answered 4xx (bad key, account missing, feature off): retrying will not help
  | 'storage-unavailable'; // storage answered 5xx/429 or did not answer after the SDK's retries

export class StaticSiteError extends Error {
  constructor(
    readonly code: StaticSiteErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StaticSiteError';
  }
}

/** Maps an Azure SDK failure to our code by HTTP status (RestError.code is not always set). */
export function storageFailure(step: string, error: unknown): StaticSiteError {
  const status =
    typeof error === 'object' && error !== null && 'statusCode' in error ? Number(error.statusCode) : undefined;
  const rejected = status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429;
  return new StaticSiteError(
    rejected ? 'storage-rejected' : 'storage-unavailable',
    `Publishing the dialpad failed while ${step}${status ? ` (storage answered ${status})` : ' (storage did not answer)'}.`,
    { cause: error },
  );
}
