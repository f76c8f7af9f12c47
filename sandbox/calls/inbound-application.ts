// Which application gets a call entering Catapult (docs/contracts/catapult-v1.md §9, §12.1): a call from an
// endpoint goes to the endpoint's application; a call to a number goes to that number's application.
import type { ApplicationRecord, Directory } from '../context';
import { parseSipUri } from './dial-target';
import { CallRejected, type OriginateRequest } from './network';

export function resolveInboundApplication(
  directory: Directory,
  request: Pick<OriginateRequest, 'from' | 'to' | 'endpointId'>,
  /** A leg re-entering Catapult at one of its numbers is routed by `to`, whatever its caller id. */
  routeByNumber = false,
): { userId: string; application: ApplicationRecord } {
  const sip = routeByNumber ? undefined : parseSipUri(request.from);
  if (!routeByNumber && (request.endpointId !== undefined || sip)) {
    const endpoint = sip ? directory.findEndpoint(sip.user, sip.host) : undefined;
    if (!endpoint || (request.endpointId !== undefined && endpoint.id !== request.endpointId)) {
      throw new CallRejected(403, `unknown endpoint ${request.from}`);
    }
    if (!endpoint.enabled) throw new CallRejected(403, `endpoint ${endpoint.id} is disabled`);
    // "If no application is associated with the endpoint, the client's call will be rejected."
    const application = endpoint.applicationId && directory.getApplication(endpoint.userId, endpoint.applicationId);
    if (!application || !application.incomingCallUrl) {
      throw new CallRejected(403, `endpoint ${endpoint.id} has no application with an incomingCallUrl`);
    }
    return { userId: endpoint.userId, application };
  }
  const number = directory.findNumber(request.to);
  if (!number) throw new CallRejected(404, `no account owns ${request.to}`);
  const application = number.applicationId && directory.getApplication(number.userId, number.applicationId);
  if (!application || !application.incomingCallUrl) {
    throw new CallRejected(480, `${request.to} has no application with an incomingCallUrl`);
  }
  return { userId: number.userId, application };
}
