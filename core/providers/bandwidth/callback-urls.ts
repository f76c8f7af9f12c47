// Where Bandwidth sends the app's callbacks: one HTTP function (POST /api/bandwidth/callbacks/{kind}) whose last
// path segment only says what the URL was given for, for people reading logs; the event itself is read from the
// callback's `eventType`. State a callback needs beyond its own body travels in the URL's query (the app's own
// markers, never secrets): `callId` = the call the app tracks (the parked call of a ring loop, the original call
// of a transfer, whose `transferAnswer` comes from the other leg). Credentials are not in the URLs: Bandwidth
// sends the application's CallbackCreds as Basic auth on every callback (bandwidth-v2.md §9.1).
export const CALLBACKS_PATH = '/api/bandwidth/callbacks';

/**
 * `initiate`: the application's CallInitiatedCallbackUrl (every call into the app, including In-App calls);
 * `status`: its CallStatusCallbackUrl (`disconnect` of every call); `ringing`: a parked call's Redirect loop;
 * `transfer`: a Transfer's transferCompleteUrl and its PhoneNumber's transferAnswerUrl.
 */
export type CallbackKind = 'initiate' | 'status' | 'ringing' | 'transfer';

/** The query parameter naming the call a ring loop or transfer callback is about. */
export const CALL_MARKER = 'callId';

export function callbackUrl(publicBaseUrl: string, kind: CallbackKind, callId?: string): string {
  const url = new URL(`${publicBaseUrl}${CALLBACKS_PATH}/${kind}`);
  if (callId !== undefined) url.searchParams.set(CALL_MARKER, callId);
  return url.toString();
}
