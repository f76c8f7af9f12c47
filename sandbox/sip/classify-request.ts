// Where an incoming SIP request goes. Pure, so the routing rules are unit-tested on captured JsSIP messages.
import { tagOf } from './sip-header-values';
import { getHeader, type SipRequest } from './sip-message';

export type RequestRoute =
  | 'register'
  | 'initial-invite' // a new call from this client
  | 'cancel' // matched to its INVITE by Call-ID + branch
  | 'in-dialog' // ACK, BYE, UPDATE, INFO, re-INVITE…: matched to a dialog by Call-ID
  | 'options' // out-of-dialog keepalive/capability probe
  | 'ignore' // an ACK with no dialog (nothing to answer: ACKs get no response)
  | 'not-allowed'; // 405 with Allow

export function classifyRequest(request: SipRequest): RequestRoute {
  const hasToTag = tagOf(getHeader(request, 'To')) !== undefined;
  switch (request.method) {
    case 'REGISTER':
      return 'register';
    case 'CANCEL':
      return 'cancel';
    case 'INVITE':
      return hasToTag ? 'in-dialog' : 'initial-invite';
    case 'OPTIONS':
      return hasToTag ? 'in-dialog' : 'options';
    case 'ACK':
      return hasToTag ? 'in-dialog' : 'ignore';
    case 'BYE':
    case 'UPDATE':
    case 'INFO':
      return hasToTag ? 'in-dialog' : 'not-allowed';
    default:
      return 'not-allowed';
  }
}
