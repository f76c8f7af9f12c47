// Who a SIP user is in the sandbox: a Catapult endpoint (`sip:<name>@<domain>.bwapp.bwsip.io`, authenticated) or
// an outside phone (`sip:+12125550100@pstn.sandbox.invalid`, no auth: it stands for any phone on the PSTN).
import type { Directory, EndpointRecord } from '../context';
import type { SipUri } from './sip-header-values';

/** The domain an outside-phone page registers in. `.invalid` (RFC 2606) so it can never be a real host. */
export const OUTSIDE_PHONE_DOMAIN = 'pstn.sandbox.invalid';

export const E164 = /^\+[1-9]\d{6,14}$/;

export function aorOf(uri: Pick<SipUri, 'user' | 'host'>): string {
  return `sip:${uri.user ?? ''}@${uri.host.toLowerCase()}`;
}

export function isOutsidePhoneUri(uri: SipUri): boolean {
  return uri.host === OUTSIDE_PHONE_DOMAIN;
}

export function endpointAor(endpoint: EndpointRecord): string {
  return `sip:${endpoint.name}@${endpoint.realm.toLowerCase()}`;
}

/** The endpoint a SIP URI names, if any (enabled or not: callers decide what a disabled one means). */
export function findEndpointForUri(directory: Directory, uri: SipUri): EndpointRecord | undefined {
  return uri.user === undefined ? undefined : directory.findEndpoint(uri.user, uri.host);
}
