// The Ringer the SIP side adds to the call model: it takes `sip:` targets on `*.bwapp.bwsip.io` (endpoints) and
// E.164 numbers that have a registered outside-phone page, and leaves every other target to the next ringer
// (the tone phones of the simulated phone network).
import type { Directory } from '../context';
import type { HangupCause, LegControl, Ringer, RingRequest } from '../calls/network';
import type { Binding, BindingStore } from './binding-store';
import { parseSipUri } from './sip-header-values';
import { aorOf, E164, endpointAor, findEndpointForUri, isOutsidePhoneUri, OUTSIDE_PHONE_DOMAIN } from './sip-identity';

const CATAPULT_SIP_SUFFIX = '.bwapp.bwsip.io';

export type RingDecision =
  | { kind: 'pass' } // not ours: ask the next ringer
  | { kind: 'reject'; cause: HangupCause }
  | { kind: 'ring'; bindings: Binding[] };

/** Pure routing decision for a target (unit-tested). */
export function decideRing(directory: Directory, bindings: BindingStore, to: string): RingDecision {
  if (E164.test(to)) {
    const phones = bindings.list(aorOf({ user: to, host: OUTSIDE_PHONE_DOMAIN }));
    return phones.length > 0 ? { kind: 'ring', bindings: phones } : { kind: 'pass' };
  }
  const uri = /^sips?:/i.test(to) ? parseSipUri(to) : undefined;
  if (!uri || uri.user === undefined) return { kind: 'pass' };
  if (isOutsidePhoneUri(uri)) {
    const phones = bindings.list(aorOf(uri));
    return phones.length > 0 ? { kind: 'ring', bindings: phones } : { kind: 'reject', cause: 'UNALLOCATED_NUMBER' };
  }
  const endpoint = findEndpointForUri(directory, uri);
  if (!endpoint) {
    // Catapult's own SIP domain with no such endpoint: nobody else can take it.
    return uri.host.endsWith(CATAPULT_SIP_SUFFIX) ? { kind: 'reject', cause: 'UNALLOCATED_NUMBER' } : { kind: 'pass' };
  }
  if (!endpoint.enabled) return { kind: 'reject', cause: 'CALL_REJECTED' };
  const contacts = bindings.list(endpointAor(endpoint)).filter((b) => b.kind === 'endpoint');
  // An endpoint that exists but has no registered client: like FreeSWITCH's USER_NOT_REGISTERED, mapped to the
  // closest Catapult cause we have (README: "unregistered endpoint").
  return contacts.length > 0 ? { kind: 'ring', bindings: contacts } : { kind: 'reject', cause: 'UNALLOCATED_NUMBER' };
}

export function createSipRinger(options: {
  directory: Directory;
  bindings: BindingStore;
  ring: (request: RingRequest, bindings: Binding[]) => LegControl;
  log: (message: string, fields?: Record<string, unknown>) => void;
}): Ringer {
  return {
    ring(request) {
      const decision = decideRing(options.directory, options.bindings, request.to);
      if (decision.kind === 'pass') return undefined;
      if (decision.kind === 'ring') return options.ring(request, decision.bindings);
      options.log('sip ring rejected', { callId: request.callId, cause: decision.cause });
      let hungUp = false;
      // Asynchronous, so the model has stored the control before it hears the leg ended.
      setImmediate(() => hungUp || request.signals.ended(decision.cause));
      return { hangUp: () => { hungUp = true; } };
    },
  };
}
