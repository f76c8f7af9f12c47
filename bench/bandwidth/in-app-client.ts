// A signalling-only In-App Calling client for the routing bench: SIP over WebSocket to the sandbox's gateway, an
// INVITE with `Authorization: Bearer` and a `User-to-User` caller token (what the dialpad sends), no SDP (the
// webhook's routing, not media, is measured). One WebSocket carries many calls at once, as a busy gateway would.
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import {
  getHeader,
  parseSipMessage,
  serializeSipMessage,
  type SipRequest,
  type SipResponse,
} from '../../sandbox/sip/sip-message';

export interface InAppBenchCall {
  /** The final response to the INVITE (200 once the transfer's far end answered, else the failure). */
  final: Promise<SipResponse>;
  hangUp(): void;
}

export interface InAppBenchClient {
  call(to: string, bearer: string, userToUser: string): InAppBenchCall;
  close(): void;
}

const DOMAIN = 'gw.webrtc-app.bandwidth.com';
const hex = (bytes: number) => randomBytes(bytes).toString('hex');

export async function connectInAppClient(gatewayUrl: string): Promise<InAppBenchClient> {
  const ws = new WebSocket(gatewayUrl, 'sip');
  await new Promise<void>((resolve, reject) => ws.once('open', () => resolve()).once('error', reject));
  const host = `${hex(6)}.invalid`;
  const calls = new Map<string, (message: ReturnType<typeof parseSipMessage>) => void>();
  ws.on('message', (data: Buffer) => {
    const message = parseSipMessage(data.toString('utf8'));
    calls.get(getHeader(message, 'Call-ID') ?? '')?.(message);
  });
  const send = (message: SipRequest | SipResponse) => ws.send(serializeSipMessage(message));

  return {
    call(to, bearer, userToUser) {
      const callId = `${hex(10)}@${host}`;
      const fromTag = hex(4);
      let toHeader = `<sip:${to}@${DOMAIN}>`;
      const request = (method: string, seq: number, extra: SipRequest['headers'] = []): SipRequest => ({
        kind: 'request',
        method,
        uri: method === 'INVITE' ? `sip:${to}@${DOMAIN}` : `sip:gateway@${DOMAIN};transport=ws`,
        headers: [
          { name: 'Via', value: `SIP/2.0/WS ${host};branch=z9hG4bK${hex(8)}` },
          { name: 'Max-Forwards', value: '70' },
          { name: 'From', value: `<sip:bench@${DOMAIN}>;tag=${fromTag}` },
          { name: 'To', value: toHeader },
          { name: 'Call-ID', value: callId },
          { name: 'CSeq', value: `${seq} ${method}` },
          ...extra,
        ],
        body: '',
      });
      const final = new Promise<SipResponse>((resolve) => {
        calls.set(callId, (message) => {
          if (message.kind === 'request') {
            // The far end hung up first: answer its BYE.
            send({
              kind: 'response',
              status: 200,
              reason: 'OK',
              headers: message.headers.filter((h) => ['Via', 'From', 'To', 'Call-ID', 'CSeq'].includes(h.name)),
              body: '',
            });
            calls.delete(callId);
            return;
          }
          if (!/INVITE/.test(getHeader(message, 'CSeq') ?? '') || message.status < 200) return;
          toHeader = getHeader(message, 'To') ?? toHeader;
          if (message.status < 300) send(request('ACK', 1));
          else calls.delete(callId);
          resolve(message);
        });
      });
      send(
        request('INVITE', 1, [
          { name: 'Contact', value: `<sip:bench@${host};transport=ws;ob>` },
          { name: 'Authorization', value: `Bearer ${bearer}` },
          { name: 'User-to-User', value: userToUser },
        ]),
      );
      return {
        final,
        hangUp: () => {
          if (!calls.has(callId)) return;
          send(request('BYE', 2));
          calls.delete(callId);
        },
      };
    },
    close: () => ws.close(),
  };
}
