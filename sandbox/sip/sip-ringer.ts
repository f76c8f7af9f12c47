// The Ringer the SIP side adds to the call model: it takes endpoints (`sip:<name>@<domain>.bwapp.bwsip.io`) and
// E.164 numbers that have a registered client (browser / outside-phone page), and leaves every other target to the
// next ringer (the phone network's tone phones and simulated endpoints).
import type { Directory } from '../context';
import type { HangupCause, LegControl, Ringer, RingRequest } from '../calls/network';
import type { Binding, BindingStore } from './binding-store';
import { parseSipUri } from './sip-header-values';
import { aorOf, E164, endpointAor, findEndpointForUri, isOutsidePhoneUri, OUTSIDE_PHONE_DOMAIN } from './sip-identity';

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
    return phones.length > 0 ? { kind: 'ring', bindings: phones } : { kind: 'pass' };
  }
  const endpoint = findEndpointForUri(directory, uri);
  if (!endpoint) return { kind: 'pass' }; // the model ends it with UNALLOCATED_NUMBER when no ringer takes it
  if (!endpoint.enabled) return { kind: 'reject', cause: 'CALL_REJECTED' };
  const contacts = bindings.list(endpointAor(endpoint)).filter((b) => b.kind === 'endpoint');
  // No registered client: the phone network's simulated endpoint (asked after us) answers instead, so tests and
  // the app work without a browser.
  return contacts.length > 0 ? { kind: 'ring', bindings: contacts } : { kind: 'pass' };
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
      return {
        hangUp: () => {
          hungUp = true;
        },
      };
    },
  };
}
