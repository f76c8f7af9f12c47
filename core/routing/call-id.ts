// Call ids reach storage keys and provider paths: only this alphabet passes (both providers' ids fit it).
const CALL_ID = /^[A-Za-z0-9_-]{1,100}$/;

export function isCallId(value: unknown): value is string {
  return typeof value === 'string' && CALL_ID.test(value);
}
