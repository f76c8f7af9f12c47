// Turns JsSIP's end causes (JsSIP.C.causes) into something a person understands.
import type { CallInfo } from './call-state';

const REASONS: Record<string, string> = {
  Busy: 'Busy',
  Rejected: 'Call declined',
  'Not Found': 'Number not reachable',
  Unavailable: 'Not available',
  'Address Incomplete': 'Incomplete number',
  'No Answer': 'No answer',
  Expires: 'No answer',
  'Connection Error': 'Connection lost',
  'Request Timeout': 'No response from the network',
  'Authentication Error': 'Not allowed to call: log in again',
  'User Denied Media Access': 'Microphone access was denied',
  'WebRTC Error': 'Audio could not be set up',
  'SIP Failure Code': 'The call could not be completed',
  'RTP Timeout': 'Audio stopped: call dropped',
};

export function endReasonText(cause: string | undefined, originator: string, call: CallInfo | undefined): string {
  if (cause === 'Canceled')
    return call?.direction === 'inbound' && originator === 'remote' ? 'Missed call' : 'Call cancelled';
  if (cause === 'Terminated' || cause === 'BYE')
    return originator === 'local' ? 'You hung up' : 'The other side hung up';
  if (cause === 'Rejected' && call?.direction === 'inbound' && originator === 'local') return 'Call declined';
  return (cause && REASONS[cause]) ?? 'Call ended';
}
