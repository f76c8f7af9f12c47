// Calls: /users/{userId}/calls (docs/contracts/catapult-v1.md §11). State changes are POSTs to the call; a transfer
// answers 201 + Location of the new leg.
import type { Call, CreateCallInput, TransferInput } from '../catapult-api';
import { createdId, readObject, type CatapultHttp } from '../catapult-http';
import { definedOnly } from '../normalise';
import { pathSegment } from '../query-string';
import { toCall } from '../resource-mappers';

export function createCallResources(http: CatapultHttp) {
  const callUrl = (callId: string) => http.userUrl(`/calls/${pathSegment(callId)}`);

  /** Moving a call to a state it is already headed for twice changes nothing more, so these repeat. */
  async function setState(callId: string, state: 'active' | 'rejected' | 'completed'): Promise<void> {
    await http.transport.send({ method: 'POST', url: callUrl(callId), body: { state }, repeatable: true });
  }

  return {
    async createCall(input: CreateCallInput): Promise<{ id: string }> {
      const body = definedOnly({
        from: input.from,
        to: input.to,
        callTimeout: input.callTimeout,
        callbackUrl: input.callbackUrl,
        callbackHttpMethod: input.callbackHttpMethod,
        callbackTimeout: input.callbackTimeout,
        fallbackUrl: input.fallbackUrl,
        tag: input.tag,
      });
      // Not repeatable: a repeat after a lost answer would ring the callee twice.
      const response = await http.transport.send({
        method: 'POST',
        url: http.userUrl('/calls'),
        body,
        repeatable: false,
      });
      return createdId(response, 'POST');
    },

    async getCall(callId: string): Promise<Call> {
      const response = await http.transport.send({ method: 'GET', url: callUrl(callId), repeatable: true });
      return toCall(readObject(response, 'GET'));
    },

    answerCall: (callId: string) => setState(callId, 'active'),
    rejectCall: (callId: string) => setState(callId, 'rejected'),
    hangUpCall: (callId: string) => setState(callId, 'completed'),

    async transferCall(callId: string, input: TransferInput): Promise<{ id: string }> {
      const body = definedOnly({
        state: 'transferring',
        transferTo: input.transferTo,
        transferCallerId: input.transferCallerId,
        callbackUrl: input.callbackUrl,
        callTimeout: input.callTimeout,
      });
      // Not repeatable: each transfer creates a new outbound leg.
      const response = await http.transport.send({ method: 'POST', url: callUrl(callId), body, repeatable: false });
      return createdId(response, 'POST');
    },
  };
}
