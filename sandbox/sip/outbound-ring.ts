// The sandbox rings a registered SIP target (an endpoint or an outside-phone page) for the call model: one INVITE
// per registered contact (parallel fork, each its own dialog). The first 2xx wins and the others are CANCELled;
// when every branch fails the model hears the best cause. LegControl.hangUp CANCELs or BYEs.
//
//   ringing(branches pending) --first 2xx--> answered --BYE either way--> ended
//        | all branches failed / hangUp → CANCEL → ended
import type { HangupCause, LegControl, RingRequest } from '../calls/network';
import type { Binding } from './binding-store';
import { parseNameAddr } from './sip-header-values';
import { E164 } from './sip-identity';
import { getHeader, makeResponse, type SipRequest, type SipResponse } from './sip-message';
import {
  ALLOW,
  causeForStatus,
  inDialogRequest,
  newBranch,
  newCallId,
  newTag,
  relayIntoDialog,
  sandboxContact,
  type DialogState,
  type RelayPeer,
  type RelayRespond,
  type SipTransport,
} from './sip-transport';

type BranchState = 'calling' | 'early' | 'answered' | 'failed' | 'cancelled' | 'ended';

interface RingBranch {
  binding: Binding;
  invite: SipRequest;
  branch: string;
  dialog: DialogState;
  state: BranchState;
  finalStatus?: number;
}

export interface OutboundRingOptions {
  transport: SipTransport;
  request: RingRequest;
  bindings: Binding[];
  /** Lets the owner index branches by SIP Call-ID (in-dialog requests) and Via branch (responses). */
  onBranch: (sipCallId: string, viaBranch: string, ring: OutboundRing) => void;
  onDone: (ring: OutboundRing) => void;
}

export class OutboundRing implements LegControl, RelayPeer {
  private readonly branches: RingBranch[] = [];
  private winner?: RingBranch;
  private ended = false;
  private ringingSent = false;

  constructor(private readonly options: OutboundRingOptions) {}

  start(): void {
    const { transport, request } = this.options;
    const fromUri = /^sips?:/i.test(request.from)
      ? request.from
      : `sip:${encodeURIComponent(request.from).replace(/%2B/g, '+')}@${transport.hostport}`;
    const display = E164.test(request.from) ? request.from : undefined;
    for (const binding of this.options.bindings) {
      const dialog: DialogState = {
        callId: newCallId(),
        localUri: fromUri,
        localTag: newTag(),
        remoteUri: binding.aor,
        remoteTag: '',
        remoteTarget: binding.contactUri,
        connectionId: binding.connectionId,
        localSeq: 1,
      };
      const branch = newBranch();
      const headers = [
        { name: 'Via', value: `SIP/2.0/WS ${transport.hostport};branch=${branch}` },
        { name: 'Max-Forwards', value: '70' },
        { name: 'From', value: `${display ? `"${display}" ` : ''}<${fromUri}>;tag=${dialog.localTag}` },
        { name: 'To', value: `<${binding.aor}>` },
        { name: 'Call-ID', value: dialog.callId },
        { name: 'CSeq', value: '1 INVITE' },
        { name: 'Contact', value: sandboxContact(transport.hostport) },
        { name: 'Allow', value: ALLOW },
        { name: 'X-Sandbox-Call-Id', value: request.callId }, // lets tests and the phone page name the Catapult leg
      ];
      if (request.offer) headers.push({ name: 'Content-Type', value: 'application/sdp' });
      const invite: SipRequest = {
        kind: 'request',
        method: 'INVITE',
        uri: binding.contactUri,
        headers,
        body: request.offer ?? '',
      };
      const ringBranch: RingBranch = { binding, invite, branch, dialog, state: 'calling' };
      this.branches.push(ringBranch);
      this.options.onBranch(dialog.callId, branch, this);
      if (!transport.sendRequest(binding.connectionId, invite)) ringBranch.state = 'failed';
    }
    transport.log('sip ringing contacts', { callId: request.callId, contacts: this.branches.length });
    queueMicrotask(() => this.settleIfAllFailed());
  }

  hangUp(cause: HangupCause = 'NORMAL_CLEARING'): void {
    if (this.ended) return;
    this.ended = true;
    const { transport } = this.options;
    if (this.winner) {
      transport.sendRequest(
        this.winner.dialog.connectionId,
        inDialogRequest(transport.hostport, this.winner.dialog, 'BYE'),
      );
      this.winner.state = 'ended';
    }
    this.cancelPending();
    transport.log('sip ring hung up by the model', { callId: this.options.request.callId, cause });
    this.options.onDone(this);
  }

  /** A response whose top Via branch is one of this ring's INVITEs. */
  onResponse(response: SipResponse): void {
    const viaBranch = /branch=([^;\s]+)/i.exec(getHeader(response, 'Via') ?? '')?.[1];
    const branch = this.branches.find((b) => b.branch === viaBranch);
    const method = (getHeader(response, 'CSeq') ?? '').trim().split(/\s+/)[1]?.toUpperCase();
    if (!branch || method !== 'INVITE') return; // answers to our CANCEL/BYE need nothing
    const to = parseNameAddr(getHeader(response, 'To') ?? '');
    if (response.status < 200) {
      if (branch.state === 'calling' && response.status > 100) branch.state = 'early';
      if (response.status >= 180 && !this.ringingSent && !this.ended) {
        this.ringingSent = true;
        this.options.request.signals.ringing?.();
      }
      return;
    }
    if (response.status < 300) return this.onAnswer(branch, response, to?.params.tag ?? '');
    this.sendNon2xxAck(branch, response);
    if (branch.state === 'calling' || branch.state === 'early') {
      branch.state = 'failed';
      branch.finalStatus = response.status;
    }
    this.settleIfAllFailed();
  }

  /** The SIP client whose call this ring carries, when the caller is SIP too (see SipService.ring). */
  peer?: RelayPeer;

  /** RelayPeer: the caller's re-INVITE/UPDATE/INFO, sent into the answered branch's dialog. */
  relayInto(request: SipRequest, respond: RelayRespond): boolean {
    if (!this.winner || this.ended) return false;
    relayIntoDialog(this.options.transport, this.winner.dialog, request, respond);
    return true;
  }

  /** BYE, UPDATE, INFO, re-INVITE from the answering client (matched by SIP Call-ID). */
  onInDialogRequest(request: SipRequest, sipCallId: string): void {
    const { transport } = this.options;
    const branch = this.branches.find((b) => b.dialog.callId === sipCallId);
    if (!branch || request.method === 'ACK') return;
    const reply: RelayRespond = ({ status, body, contentType }) =>
      transport.sendResponse(
        branch.dialog.connectionId,
        makeResponse(request, status, {
          headers: body
            ? [
                { name: 'Contact', value: sandboxContact(transport.hostport) },
                { name: 'Content-Type', value: contentType ?? 'application/sdp' },
              ]
            : [],
          ...(body ? { body } : {}),
        }),
      );
    if (request.method === 'BYE') {
      reply({ status: 200 });
      if (branch !== this.winner || this.ended) return;
      branch.state = 'ended';
      this.ended = true;
      this.options.request.signals.ended('NORMAL_CLEARING');
      this.options.onDone(this);
      return;
    }
    const relayable =
      request.method === 'INFO' || ((request.method === 'INVITE' || request.method === 'UPDATE') && request.body);
    if (relayable && branch === this.winner && !this.ended && this.peer?.relayInto(request, reply)) return;
    if (request.method === 'INVITE' || (request.method === 'UPDATE' && request.body)) {
      // No SIP peer to renegotiate with: a session refresh keeps the negotiated SDP (see README).
      return reply({ status: 200, body: this.options.request.offer ?? '' });
    }
    if (['UPDATE', 'INFO', 'OPTIONS'].includes(request.method)) return reply({ status: 200 });
    transport.sendResponse(
      branch.dialog.connectionId,
      makeResponse(request, 405, { headers: [{ name: 'Allow', value: ALLOW }] }),
    );
  }

  /** A client's WebSocket closed: its branch fails, or the answered call ends. */
  onConnectionClosed(connectionId: string): void {
    for (const branch of this.branches) {
      if (branch.binding.connectionId !== connectionId) continue;
      if (branch === this.winner && !this.ended) {
        branch.state = 'ended';
        this.ended = true;
        this.options.request.signals.ended('NORMAL_CLEARING');
        this.options.onDone(this);
        return;
      }
      if (branch.state === 'calling' || branch.state === 'early') {
        branch.state = 'failed';
        branch.finalStatus = 480;
      }
    }
    this.settleIfAllFailed();
  }

  private onAnswer(branch: RingBranch, response: SipResponse, remoteTag: string): void {
    const { transport } = this.options;
    const contact = parseNameAddr(getHeader(response, 'Contact') ?? '');
    if (branch.state === 'calling' || branch.state === 'early') {
      branch.dialog.remoteTag = remoteTag;
      branch.dialog.remoteTarget = contact?.uri ?? branch.dialog.remoteTarget;
    }
    // Every 2xx is ACKed (also retransmissions), with a new branch and the INVITE's CSeq number (RFC 3261 §13.2.2.4).
    transport.sendRequest(
      branch.dialog.connectionId,
      inDialogRequest(transport.hostport, branch.dialog, 'ACK', { seq: 1 }),
    );
    if (this.winner === branch) return; // a retransmitted 200
    if (this.winner || this.ended || branch.state === 'cancelled') {
      // Lost the race (or the model hung up meanwhile): end this late answer at once.
      branch.state = 'ended';
      transport.sendRequest(branch.dialog.connectionId, inDialogRequest(transport.hostport, branch.dialog, 'BYE'));
      return;
    }
    branch.state = 'answered';
    this.winner = branch;
    this.cancelPending();
    transport.log('sip ring answered', { callId: this.options.request.callId, aor: branch.binding.aor });
    this.options.request.signals.answered(response.body || undefined);
  }

  private cancelPending(): void {
    const { transport } = this.options;
    for (const branch of this.branches) {
      if (branch.state !== 'calling' && branch.state !== 'early') continue;
      branch.state = 'cancelled';
      const headers = branch.invite.headers
        .filter((h) => ['Via', 'From', 'To', 'Call-ID'].includes(h.name))
        .concat([
          { name: 'Max-Forwards', value: '70' },
          { name: 'CSeq', value: '1 CANCEL' },
        ]);
      transport.sendRequest(branch.dialog.connectionId, {
        kind: 'request',
        method: 'CANCEL',
        uri: branch.invite.uri,
        headers,
        body: '',
      });
    }
  }

  private sendNon2xxAck(branch: RingBranch, response: SipResponse): void {
    // Same branch as the INVITE, To from the response (RFC 3261 §17.1.1.3).
    const headers = branch.invite.headers
      .filter((h) => ['Via', 'From', 'Call-ID'].includes(h.name))
      .concat([
        { name: 'To', value: getHeader(response, 'To') ?? '' },
        { name: 'Max-Forwards', value: '70' },
        { name: 'CSeq', value: '1 ACK' },
      ]);
    this.options.transport.sendRequest(branch.dialog.connectionId, {
      kind: 'request',
      method: 'ACK',
      uri: branch.invite.uri,
      headers,
      body: '',
    });
  }

  private settleIfAllFailed(): void {
    if (this.ended || this.winner) return;
    if (!this.branches.every((b) => b.state === 'failed')) return;
    this.ended = true;
    const statuses = this.branches.map((b) => b.finalStatus ?? 480);
    // RFC 3261 §16.7 picks the "best" final answer; busy or decline from anyone is what a caller should hear.
    const best = statuses.find((s) => s === 486 || s === 600) ?? statuses.find((s) => s === 603) ?? statuses[0] ?? 480;
    this.options.request.signals.ended(causeForStatus(best));
    this.options.onDone(this);
  }
}
