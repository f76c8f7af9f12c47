// Turns JsSIP's end causes (JsSIP.C.causes) into the dialpad's call outcomes (call-state.ts).
import type { CallInfo, CallOutcome } from './call-state';

const OUTCOMES: Record<string, CallOutcome> = {
  Busy: 'busy',
  Rejected: 'declined',
  'Not Found': 'unreachable',
  'Address Incomplete': 'invalid-number',
  'No Answer': 'no-answer',
  Expires: 'no-answer',
  'Connection Error': 'connection-lost',
  'RTP Timeout': 'connection-lost',
  'Authentication Error': 'not-allowed',
  'User Denied Media Access': 'mic-denied',
  'WebRTC Error': 'audio-failed',
  'Incompatible SDP': 'audio-failed',
  'Bad Media Description': 'audio-failed',
  'Missing SDP': 'audio-failed',
};

export function endOutcome(cause: string | undefined, originator: string, call: CallInfo | undefined): CallOutcome {
  if (cause === 'Canceled') return call?.direction === 'inbound' && originator === 'remote' ? 'missed' : 'cancelled';
  if (cause === 'Terminated' || cause === 'BYE') return originator === 'local' ? 'hung-up' : 'remote-hung-up';
  // A dial string the dialpad could not read as a whole number (no +: a short code, `12345`) that the network
  // cannot find is not a valid number, rather than one out of reach; Bandwidth's In-App Calling gateway answers
  // such a dial 404 itself, before the app could say why.
  if (cause === 'Not Found' && call?.direction === 'outbound' && !call.peer.startsWith('+')) return 'invalid-number';
  // 'Unavailable' (480), 'Request Timeout', 'SIP Failure Code' and anything new: the network did not say why.
  return (cause ? OUTCOMES[cause] : undefined) ?? 'failed';
}
