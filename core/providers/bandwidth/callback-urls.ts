// Where Bandwidth sends the app's callbacks: one HTTP function (POST /api/bandwidth/callbacks/{kind}) whose last
// path segment only says what the URL was given for, for people reading logs; the event itself is read from the
// callback's `eventType`. State a callback needs beyond its own body travels in the URL's query (the app's own
// markers, never secrets): `callId` = the call the app tracks (the parked call of a ring loop, the original call
// of a transfer, whose `transferAnswer` comes from the other leg), with `sig`, the app's signature over it
// (crypto/call-marker-signature.ts): the CallbackCreds that Bandwidth sends back as Basic auth on every callback
// are stored in the application's settings at Bandwidth, so they alone must not let anyone speak for a call.
import { signCallMarker, SIGNATURE_PARAM } from '../../crypto/call-marker-signature';

export const CALLBACKS_PATH = '/api/bandwidth/callbacks';

/**
 * `initiate`: the application's CallInitiatedCallbackUrl (every call into the app, including In-App calls);
 * `status`: its CallStatusCallbackUrl (`disconnect` of every call); `ringing`: a parked call's Redirect loop;
 * `transfer`: a Transfer's transferCompleteUrl and its PhoneNumber's transferAnswerUrl; `recording`: a voicemail
 * Record's recordingAvailableUrl.
 */
export type CallbackKind = 'initiate' | 'status' | 'ringing' | 'transfer' | 'recording';

/** The query parameter naming the call a ring loop or transfer callback is about. */
export const CALL_MARKER = 'callId';

/** A call named in a callback URL, and the key that signs it. */
export interface CallMarker {
  callId: string;
  signingKey: Buffer;
}

export function callbackUrl(publicBaseUrl: string, kind: CallbackKind, marker?: CallMarker): string {
  const url = new URL(`${publicBaseUrl}${CALLBACKS_PATH}/${kind}`);
  if (marker) {
    url.searchParams.set(CALL_MARKER, marker.callId);
    url.searchParams.set(SIGNATURE_PARAM, signCallMarker(marker.signingKey, marker.callId));
  }
  return url.toString();
}
