// The In-App Calling gateway: SIP over WebSocket where every REGISTER and INVITE carries `Authorization: Bearer
// <token>` minted with the In-App Calling credential (as Bandwidth's WebRTC SDK sends it). The gateway is the
// UAS of each browser call: the platform's media endpoint answers the browser's offer, and the call becomes a
// Voice API call whose `initiate` goes to the account's In-App Calling application (call-engine.ts).
// Calls to browsers are not offered: In-App Calling takes no inbound calls (docs/contracts/bandwidth-v2.md §11).
import { CallRejected, type HangupCause, type LegControl } from '../../calls/network';
import type { SipConnection } from '../../sip/flow-table';
import { parseNameAddr, parseSipUri, tagOf } from '../../sip/sip-header-values';
import {
  getHeader,
  getHeaders,
  makeResponse,
  serializeSipMessage,
  type SipMessage,
  type SipRequest,
} from '../../sip/sip-message';
import { inDialogRequest, newTag, sandboxContact, type DialogState } from '../../sip/sip-transport';
import type { TokenIssuer } from '../http/oauth';
import type { CallEngine } from '../voice/call-engine';

export interface GatewayRegistration {
  aor: string;
  contact: string;
  connectionId: string;
  expiresAt: number;
}

interface GatewayCall {
  invite: SipRequest;
  connectionId: string;
  toTag: string;
  state: 'proceeding' | 'answered' | 'confirmed' | 'ended';
  leg?: { callId: string } & LegControl;
  dialog: DialogState;
  byeWhenAcked: boolean;
  answerSdp?: string;
}

const FAILURE_STATUS: Record<HangupCause, number> = {
  NORMAL_CLEARING: 480,
  ORIGINATOR_CANCEL: 487,
  USER_BUSY: 486,
  CALL_REJECTED: 603,
  UNALLOCATED_NUMBER: 404,
  NO_ANSWER: 480,
  NORMAL_TEMPORARY_FAILURE: 503,
};

export class GatewayService {
  private readonly connections = new Map<string, SipConnection>();
  private readonly registrations = new Map<string, GatewayRegistration>(); // by contact
  private readonly calls = new Map<string, GatewayCall>(); // by SIP Call-ID

  constructor(
    private readonly options: {
      engine: CallEngine;
      tokens: TokenIssuer;
      hostport: string;
      now: () => number;
      log: (message: string, fields?: Record<string, unknown>) => void;
    },
  ) {}

  connectionOpened(connection: SipConnection): void {
    this.connections.set(connection.id, connection);
  }

  connectionClosed(connectionId: string): void {
    this.connections.delete(connectionId);
    for (const [contact, registration] of this.registrations) {
      if (registration.connectionId === connectionId) this.registrations.delete(contact);
    }
    for (const call of this.calls.values()) {
      if (call.connectionId === connectionId && call.state !== 'ended') {
        call.state = 'ended';
        call.leg?.hangUp('NORMAL_CLEARING');
      }
    }
  }

  registrationList(): Array<{ aor: string; contact: string; expires: number }> {
    const now = this.options.now();
    return [...this.registrations.values()]
      .filter((r) => r.expiresAt > now)
      .map((r) => ({ aor: r.aor, contact: r.contact, expires: Math.round((r.expiresAt - now) / 1000) }));
  }

  receive(connectionId: string, message: SipMessage): void {
    if (message.kind === 'response') return; // the gateway's BYEs need no follow-up
    switch (message.method) {
      case 'REGISTER':
        return this.register(connectionId, message);
      case 'INVITE':
        return getHeader(message, 'To')?.match(/;\s*tag=/i)
          ? this.reInvite(connectionId, message)
          : this.invite(connectionId, message);
      case 'ACK':
        return this.ack(message);
      case 'BYE':
        return this.bye(connectionId, message);
      case 'CANCEL':
        return this.cancel(connectionId, message);
      case 'OPTIONS':
      case 'UPDATE':
      case 'INFO':
        return this.reply(
          connectionId,
          makeResponse(
            message,
            this.calls.has(getHeader(message, 'Call-ID') ?? '') || message.method === 'OPTIONS' ? 200 : 481,
          ),
        );
      default:
        return this.reply(
          connectionId,
          makeResponse(message, 405, {
            headers: [{ name: 'Allow', value: 'REGISTER, INVITE, ACK, BYE, CANCEL, OPTIONS, UPDATE, INFO' }],
          }),
        );
    }
  }

  /** 401 without a Bearer token; 403 for an unknown, expired or account (non-In-App) token; undefined when fine. */
  private authFailure(request: SipRequest): number | undefined {
    const header = getHeader(request, 'Authorization');
    if (header === undefined || !/^Bearer\s+/i.test(header)) return 401;
    const check = this.options.tokens.check(header);
    return check.ok && check.role === 'webrtc' ? undefined : 403;
  }

  private register(connectionId: string, request: SipRequest): void {
    const failure = this.authFailure(request);
    if (failure) return this.reply(connectionId, this.refusal(request, failure));
    const aor = parseNameAddr(getHeader(request, 'To') ?? '')?.uri ?? request.uri;
    const headerExpires = Number(getHeader(request, 'Expires') ?? 600);
    const contacts = getHeaders(request, 'Contact');
    for (const contact of contacts) {
      if (contact.trim() === '*') {
        for (const [key, r] of this.registrations) if (r.aor === aor) this.registrations.delete(key);
        continue;
      }
      const uri = parseNameAddr(contact)?.uri ?? contact;
      const param = /;\s*expires=(\d+)/i.exec(contact);
      const expires = Math.min(3600, param ? Number(param[1]) : Number.isFinite(headerExpires) ? headerExpires : 600);
      if (expires === 0) this.registrations.delete(uri);
      else this.registrations.set(uri, { aor, contact, connectionId, expiresAt: this.options.now() + expires * 1000 });
    }
    const now = this.options.now();
    const current = [...this.registrations.values()].filter((r) => r.aor === aor && r.expiresAt > now);
    this.reply(
      connectionId,
      makeResponse(request, 200, {
        toTag: newTag(),
        headers: current.map((r) => ({
          name: 'Contact',
          value: `${r.contact.replace(/;\s*expires=\d+/i, '')};expires=${Math.round((r.expiresAt - now) / 1000)}`,
        })),
      }),
    );
  }

  private invite(connectionId: string, request: SipRequest): void {
    const callId = getHeader(request, 'Call-ID') ?? '';
    if (this.calls.has(callId)) return; // a retransmission
    const failure = this.authFailure(request);
    if (failure) return this.reply(connectionId, this.refusal(request, failure));
    const from = parseNameAddr(getHeader(request, 'From') ?? '');
    const to = parseNameAddr(getHeader(request, 'To') ?? '');
    const contact = parseNameAddr(getHeader(request, 'Contact') ?? '');
    const toTag = newTag();
    const call: GatewayCall = {
      invite: request,
      connectionId,
      toTag,
      state: 'proceeding',
      byeWhenAcked: false,
      dialog: {
        callId,
        localUri: to?.uri ?? request.uri,
        localTag: toTag,
        remoteUri: from?.uri ?? '',
        remoteTag: tagOf(getHeader(request, 'From')) ?? '',
        remoteTarget: contact?.uri ?? from?.uri ?? '',
        connectionId,
        localSeq: 1,
      },
    };
    this.calls.set(callId, call);
    this.reply(connectionId, makeResponse(request, 100));
    const dialled = dialledNumber(request.uri);
    if (!dialled) return this.fail(call, 404);
    const uui = getHeader(request, 'User-to-User');
    try {
      call.leg = this.options.engine.originateInApp({
        to: dialled,
        ...(request.body ? { offer: request.body } : {}),
        ...(uui ? { uui } : {}),
        signals: {
          answered: (sdp) => this.answered(call, sdp),
          ended: (cause) => this.ended(call, cause),
        },
      });
    } catch (error) {
      if (error instanceof CallRejected) return this.fail(call, error.sipStatus);
      throw error;
    }
  }

  private answered(call: GatewayCall, sdp: string | undefined): void {
    if (call.state !== 'proceeding') return;
    call.state = 'answered';
    if (sdp !== undefined) call.answerSdp = sdp;
    const headers = [{ name: 'Contact', value: sandboxContact(this.options.hostport) }];
    if (sdp !== undefined) headers.push({ name: 'Content-Type', value: 'application/sdp' });
    this.reply(
      call.connectionId,
      makeResponse(call.invite, 200, { toTag: call.toTag, headers, ...(sdp ? { body: sdp } : {}) }),
    );
  }

  private ended(call: GatewayCall, cause: HangupCause): void {
    if (call.state === 'ended') return;
    if (call.state === 'proceeding') return this.fail(call, FAILURE_STATUS[cause]);
    if (call.state === 'answered') {
      call.byeWhenAcked = true; // RFC 3261: no BYE before the ACK of our 2xx
      return;
    }
    this.sendBye(call);
  }

  private sendBye(call: GatewayCall): void {
    call.state = 'ended';
    const bye = inDialogRequest(this.options.hostport, call.dialog, 'BYE');
    this.connections.get(call.connectionId)?.send(serializeSipMessage(bye));
  }

  private fail(call: GatewayCall, status: number): void {
    call.state = 'ended';
    this.reply(call.connectionId, makeResponse(call.invite, status, { toTag: call.toTag }));
  }

  private ack(request: SipRequest): void {
    const call = this.calls.get(getHeader(request, 'Call-ID') ?? '');
    if (!call || call.state !== 'answered') return;
    call.state = 'confirmed';
    if (call.byeWhenAcked) this.sendBye(call);
  }

  private bye(connectionId: string, request: SipRequest): void {
    const call = this.calls.get(getHeader(request, 'Call-ID') ?? '');
    if (!call) return this.reply(connectionId, makeResponse(request, 481));
    this.reply(connectionId, makeResponse(request, 200));
    if (call.state === 'ended') return;
    call.state = 'ended';
    call.leg?.hangUp('NORMAL_CLEARING');
  }

  private cancel(connectionId: string, request: SipRequest): void {
    const call = this.calls.get(getHeader(request, 'Call-ID') ?? '');
    if (!call) return this.reply(connectionId, makeResponse(request, 481));
    this.reply(connectionId, makeResponse(request, 200));
    if (call.state !== 'proceeding') return;
    this.fail(call, 487);
    call.leg?.hangUp('ORIGINATOR_CANCEL');
  }

  /** A session refresh or hold: answered with the SDP already negotiated (the platform does not renegotiate). */
  private reInvite(connectionId: string, request: SipRequest): void {
    const call = this.calls.get(getHeader(request, 'Call-ID') ?? '');
    if (!call || call.state === 'ended') return this.reply(connectionId, makeResponse(request, 481));
    const sdp = call.answerSdp;
    this.reply(
      connectionId,
      makeResponse(request, 200, {
        headers: [
          { name: 'Contact', value: sandboxContact(this.options.hostport) },
          ...(sdp ? [{ name: 'Content-Type', value: 'application/sdp' }] : []),
        ],
        ...(sdp ? { body: sdp } : {}),
      }),
    );
  }

  private refusal(request: SipRequest, status: number) {
    return makeResponse(request, status, {
      toTag: newTag(),
      headers:
        status === 401
          ? [{ name: 'WWW-Authenticate', value: 'Bearer realm="In-App Calling", error="invalid_request"' }]
          : [],
    });
  }

  private reply(connectionId: string, message: SipMessage): void {
    this.connections.get(connectionId)?.send(serializeSipMessage(message));
  }

  close(): void {
    for (const call of this.calls.values()) if (call.state !== 'ended') call.leg?.hangUp('NORMAL_CLEARING');
  }
}

/** The number an INVITE dials: `+E.164`, 10 NANP digits (→ +1…), or 11 starting with 1; else undefined. */
export function dialledNumber(requestUri: string): string | undefined {
  const user = parseSipUri(requestUri)?.user;
  if (!user) return undefined;
  const digits = user.replace(/[\s().-]/g, '');
  if (/^\+[1-9]\d{6,14}$/.test(digits)) return digits;
  if (/^[2-9]\d{9}$/.test(digits)) return `+1${digits}`;
  if (/^1[2-9]\d{9}$/.test(digits)) return `+${digits}`;
  return undefined;
}
