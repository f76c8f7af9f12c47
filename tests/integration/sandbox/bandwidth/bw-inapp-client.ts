// A minimal In-App Calling client for tests: SIP over WebSocket by hand (as Bandwidth's WebRTC SDK sends it,
// `Authorization: Bearer` on the INVITE) with the sandbox's werift tone phone as its media, so a test can prove
// what the "browser" hears without a browser.
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { createTonePhone, type TonePhone } from '../../../../sandbox/phone-network/tone-phone';
import {
  getHeader,
  parseSipMessage,
  serializeSipMessage,
  type SipRequest,
  type SipResponse,
} from '../../../../sandbox/sip/sip-message';

export interface InAppCall {
  tone: TonePhone;
  /** The final response to the INVITE. */
  final: Promise<SipResponse>;
  /** Resolves when the gateway sends BYE. */
  byeReceived: Promise<void>;
  hangUp(): void;
  /** CANCEL the INVITE (before its final response); resolves with the CANCEL's own response. */
  cancel(): Promise<SipResponse>;
}

export interface InAppClient {
  /** `token: ''` sends no Authorization header. */
  call(to: string, options?: { token?: string; uui?: string }): Promise<InAppCall>;
  close(): Promise<void>;
}

const hex = (n: number) => randomBytes(n).toString('hex');

export async function connectInApp(gatewayUrl: string, token: string): Promise<InAppClient> {
  const ws = new WebSocket(gatewayUrl, 'sip');
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const host = `${hex(6)}.invalid`;
  const listeners = new Set<(text: string) => void>();
  ws.on('message', (data: Buffer) => {
    const text = data.toString('utf8');
    for (const listener of [...listeners]) listener(text);
  });
  const send = (text: string) => ws.send(text);
  const tones: TonePhone[] = [];

  return {
    async call(to, options = {}) {
      const tone = createTonePhone();
      tones.push(tone);
      const offer = await tone.offer();
      const callId = `${hex(10)}@${host}`;
      const fromTag = hex(4);
      const branch = `z9hG4bK${hex(8)}`;
      const invite: SipRequest = {
        kind: 'request',
        method: 'INVITE',
        uri: `sip:${to}@gw.webrtc-app.bandwidth.com`,
        headers: [
          { name: 'Via', value: `SIP/2.0/WS ${host};branch=${branch}` },
          { name: 'Max-Forwards', value: '70' },
          { name: 'From', value: `<sip:browser@gw.webrtc-app.bandwidth.com>;tag=${fromTag}` },
          { name: 'To', value: `<sip:${to}@gw.webrtc-app.bandwidth.com>` },
          { name: 'Call-ID', value: callId },
          { name: 'CSeq', value: '1 INVITE' },
          { name: 'Contact', value: `<sip:browser@${host};transport=ws;ob>` },
          ...(options.token === '' ? [] : [{ name: 'Authorization', value: `Bearer ${options.token ?? token}` }]),
          ...(options.uui ? [{ name: 'User-to-User', value: options.uui }] : []),
          { name: 'Content-Type', value: 'application/sdp' },
        ],
        body: offer,
      };
      let toHeader = '';
      let resolveBye!: () => void;
      const byeReceived = new Promise<void>((resolve) => (resolveBye = resolve));
      const final = new Promise<SipResponse>((resolve) => {
        const listener = (text: string) => {
          const message = parseSipMessage(text);
          if (getHeader(message, 'Call-ID') !== callId) return;
          if (message.kind === 'request' && message.method === 'BYE') {
            send(serializeSipMessage(reply(message, 200)));
            resolveBye();
            return;
          }
          if (message.kind !== 'response' || !/INVITE/.test(getHeader(message, 'CSeq') ?? '') || message.status < 200)
            return;
          toHeader = getHeader(message, 'To') ?? '';
          if (message.status < 300) {
            void tone.acceptAnswer(message.body);
            send(serializeSipMessage(inDialog('ACK', 1)));
          }
          resolve(message);
        };
        listeners.add(listener);
      });
      const inDialog = (method: string, seq: number): SipRequest => ({
        kind: 'request',
        method,
        uri: 'sip:sandbox@gateway.invalid;transport=ws',
        headers: [
          { name: 'Via', value: `SIP/2.0/WS ${host};branch=z9hG4bK${hex(8)}` },
          { name: 'Max-Forwards', value: '70' },
          { name: 'From', value: `<sip:browser@gw.webrtc-app.bandwidth.com>;tag=${fromTag}` },
          { name: 'To', value: toHeader },
          { name: 'Call-ID', value: callId },
          { name: 'CSeq', value: `${seq} ${method}` },
        ],
        body: '',
      });
      send(serializeSipMessage(invite));
      const cancel = () => {
        // RFC 3261 §9.1: the INVITE's Request-URI, Call-ID, From, To, top Via and CSeq number, method CANCEL.
        const keep = ['Via', 'Max-Forwards', 'From', 'To', 'Call-ID'];
        const request: SipRequest = {
          kind: 'request',
          method: 'CANCEL',
          uri: invite.uri,
          headers: [...invite.headers.filter((h) => keep.includes(h.name)), { name: 'CSeq', value: '1 CANCEL' }],
          body: '',
        };
        const answered = new Promise<SipResponse>((resolve) => {
          const listener = (text: string) => {
            const message = parseSipMessage(text);
            if (message.kind !== 'response' || getHeader(message, 'Call-ID') !== callId) return;
            if (getHeader(message, 'CSeq') !== '1 CANCEL') return;
            listeners.delete(listener);
            resolve(message);
          };
          listeners.add(listener);
        });
        send(serializeSipMessage(request));
        return answered;
      };
      return { tone, final, byeReceived, hangUp: () => send(serializeSipMessage(inDialog('BYE', 2))), cancel };
    },
    async close() {
      await Promise.all(tones.map((tone) => tone.close()));
      ws.close();
    },
  };
}

function reply(request: SipRequest, status: number): SipResponse {
  return {
    kind: 'response',
    status,
    reason: 'OK',
    headers: request.headers.filter((h) => ['Via', 'From', 'To', 'Call-ID', 'CSeq'].includes(h.name)),
    body: '',
  };
}
