// A call a SIP client (browser endpoint or outside-phone page) places: the sandbox is the UAS of that dialog and
// hands the leg to the call model (network.originate). LegSignals become SIP responses/BYE, and the client's
// CANCEL/BYE become LegControl.hangUp.
//
//   proceeding --ringing--> proceeding(180 sent) --answered--> answered(200 sent) --ACK--> confirmed
//        |  CANCEL / ended(cause) → final error                        ended → BYE (after the ACK) → ended
import { CallRejected, type CallNetwork, type HangupCause, type LegControl, type LegSignals } from '../calls/network';
import { parseNameAddr } from './sip-header-values';
import { getHeader, makeResponse, type SipRequest } from './sip-message';
import {
  ALLOW,
  inDialogRequest,
  newTag,
  relayIntoDialog,
  sandboxContact,
  statusForCause,
  type DialogState,
  type RelayPeer,
  type RelayRespond,
  type SipTransport,
} from './sip-transport';

type InboundState = 'proceeding' | 'answered' | 'confirmed' | 'ended';

export interface InboundCallOptions {
  transport: SipTransport;
  invite: SipRequest;
  connectionId: string;
  /** Called once the dialog is over, so the owner can forget it. */
  onDone: (call: InboundCall) => void;
}

export class InboundCall implements RelayPeer {
  readonly sipCallId: string;
  private state: InboundState = 'proceeding';
  private control?: LegControl;
  private readonly dialog: DialogState;
  private answerSdp = '';
  private byePendingAck = false;
  private readonly inviteBranch: string;

  constructor(private readonly options: InboundCallOptions) {
    const { invite, connectionId } = options;
    this.sipCallId = getHeader(invite, 'Call-ID') ?? '';
    const from = parseNameAddr(getHeader(invite, 'From') ?? '');
    const to = parseNameAddr(getHeader(invite, 'To') ?? '');
    const contact = parseNameAddr(getHeader(invite, 'Contact') ?? '');
    this.inviteBranch = /branch=([^;\s]+)/i.exec(getHeader(invite, 'Via') ?? '')?.[1] ?? '';
    this.dialog = {
      callId: this.sipCallId,
      localUri: to?.uri ?? invite.uri,
      localTag: newTag(),
      remoteUri: from?.uri ?? '',
      remoteTag: from?.params.tag ?? '',
      remoteTarget: contact?.uri ?? from?.uri ?? '',
      connectionId,
      localSeq: 0,
    };
  }

  get connectionId(): string {
    return this.options.connectionId;
  }

  /** The Catapult call id the model gave this leg (undefined until originated). */
  catapultCallId?: string;

  /** The leg's signals for network.originate; the model calls them. */
  readonly signals: LegSignals = {
    ringing: () => {
      if (this.state === 'proceeding') this.respond(180);
    },
    answered: (sdp?: string) => {
      if (this.state !== 'proceeding') return;
      if (!sdp && this.options.invite.body) {
        // The far end took the call without media (e.g. a simulated endpoint): a 200 without an SDP answer would
        // make the client fail it anyway (JsSIP: BAD_MEDIA_DESCRIPTION), so say so plainly and end the leg.
        this.options.transport.log('sip far end answered without media', { callId: this.catapultCallId });
        this.finishWithError(488);
        this.control?.hangUp('NORMAL_TEMPORARY_FAILURE');
        return;
      }
      this.answerSdp = sdp ?? '';
      this.state = 'answered';
      this.respond(200, this.answerSdp);
    },
    ended: (cause: HangupCause) => this.endFromModel(cause),
  };

  /** Hands the leg to the model. A CallRejected becomes that SIP final response. */
  originate(network: CallNetwork, request: { from: string; to: string; endpointId?: string }): void {
    try {
      const body = this.options.invite.body;
      const control = network.originate({ ...request, ...(body ? { offer: body } : {}), signals: this.signals });
      if (this.state === 'ended')
        control.hangUp('NORMAL_CLEARING'); // ended synchronously while originating
      else this.control = control;
      this.catapultCallId = control.callId;
      this.options.transport.log('sip call originated', { callId: control.callId, to: request.to });
    } catch (error) {
      if (!(error instanceof CallRejected)) throw error;
      this.options.transport.log('sip call rejected by the network', {
        status: error.sipStatus,
        reason: error.message,
      });
      this.finishWithError(error.sipStatus);
    }
  }

  /** CANCEL for this INVITE (matched by Call-ID; the branch must be the INVITE's). */
  onCancel(cancel: SipRequest): void {
    const branch = /branch=([^;\s]+)/i.exec(getHeader(cancel, 'Via') ?? '')?.[1];
    if (branch !== this.inviteBranch) {
      this.options.transport.sendResponse(this.dialog.connectionId, makeResponse(cancel, 481));
      return;
    }
    this.options.transport.sendResponse(this.dialog.connectionId, makeResponse(cancel, 200));
    if (this.state !== 'proceeding') return; // already answered: the client will BYE
    this.finishWithError(487);
    this.control?.hangUp('ORIGINATOR_CANCEL');
  }

  /** The SDP offer of the client's INVITE ('' when it sent none). */
  get offer(): string {
    return this.options.invite.body;
  }

  /** The other SIP side once the model rang a SIP client with this call's offer (see SipService.ring). */
  peer?: RelayPeer;

  /** RelayPeer: the other side's re-INVITE/UPDATE/INFO, sent into this dialog once it is confirmed. */
  relayInto(request: SipRequest, respond: RelayRespond): boolean {
    if (this.state !== 'confirmed') return false;
    relayIntoDialog(this.options.transport, this.dialog, request, (response) => {
      // After a relayed re-offer this client holds the other side's new SDP: a local refresh must answer with it.
      if (request.method !== 'INFO' && response.status < 300 && request.body) this.answerSdp = request.body;
      respond(response);
    });
    return true;
  }

  /** ACK, BYE, UPDATE, INFO, OPTIONS or a re-INVITE inside this dialog. */
  onInDialogRequest(request: SipRequest): void {
    const { transport } = this.options;
    const reply: RelayRespond = ({ status, body, contentType }) =>
      transport.sendResponse(
        this.dialog.connectionId,
        makeResponse(request, status, {
          toTag: this.dialog.localTag,
          headers: body
            ? [
                { name: 'Contact', value: sandboxContact(transport.hostport) },
                { name: 'Content-Type', value: contentType ?? 'application/sdp' },
              ]
            : [],
          ...(body ? { body } : {}),
        }),
      );
    const relayable =
      request.method === 'INFO' || ((request.method === 'INVITE' || request.method === 'UPDATE') && request.body);
    if (
      relayable &&
      this.state === 'confirmed' &&
      this.peer?.relayInto(request, (response) => {
        if (request.method !== 'INFO' && response.status < 300 && response.body) this.answerSdp = response.body;
        reply(response);
      })
    )
      return;
    switch (request.method) {
      case 'ACK':
        if (this.state === 'answered') this.state = 'confirmed';
        if (this.byePendingAck) this.sendBye();
        return;
      case 'BYE':
        reply({ status: 200 });
        if (this.state === 'ended') return;
        this.state = 'ended';
        this.control?.hangUp('NORMAL_CLEARING');
        this.options.onDone(this);
        return;
      case 'INVITE': // no SIP peer to renegotiate with: a session refresh keeps the negotiated SDP (see README)
        return reply({ status: 200, body: this.answerSdp });
      case 'UPDATE':
        return reply(request.body ? { status: 200, body: this.answerSdp } : { status: 200 });
      case 'INFO': {
        // DTMF as SIP INFO (application/dtmf-relay `Signal=5`, or application/dtmf `5`): the keys reach the call
        // (Catapult's media hears them). Other INFO bodies are acknowledged and dropped.
        const digit = dtmfOfInfo(request.body ?? '', getHeader(request, 'Content-Type') ?? '');
        if (digit !== undefined && this.state === 'confirmed') this.control?.dtmf?.(digit);
        return reply({ status: 200 });
      }
      case 'OPTIONS':
        return reply({ status: 200 });
      default:
        transport.sendResponse(
          this.dialog.connectionId,
          makeResponse(request, 405, { headers: [{ name: 'Allow', value: ALLOW }] }),
        );
    }
  }

  /** The client's WebSocket closed: its side of the call is gone. */
  onConnectionClosed(): void {
    if (this.state === 'ended') return;
    const cause: HangupCause = this.state === 'proceeding' ? 'ORIGINATOR_CANCEL' : 'NORMAL_CLEARING';
    this.state = 'ended';
    this.control?.hangUp(cause);
    this.options.onDone(this);
  }

  private endFromModel(cause: HangupCause): void {
    if (this.state === 'proceeding') return this.finishWithError(statusForCause(cause));
    if (this.state === 'ended') return;
    if (this.state === 'answered') {
      this.byePendingAck = true; // a UAS must not BYE before the ACK of its 200 (JsSIP #102)
      setTimeout(() => this.byePendingAck && this.sendBye(), 2000).unref();
      return;
    }
    this.sendBye();
  }

  private sendBye(): void {
    this.byePendingAck = false;
    if (this.state === 'ended') return;
    this.state = 'ended';
    const { transport } = this.options;
    transport.sendRequest(this.dialog.connectionId, inDialogRequest(transport.hostport, this.dialog, 'BYE'));
    this.options.onDone(this);
  }

  private finishWithError(status: number): void {
    if (this.state !== 'proceeding') return;
    this.state = 'ended';
    this.respond(status);
    this.options.onDone(this);
  }

  private respond(status: number, body?: string): void {
    const { transport, invite } = this.options;
    const headers =
      status < 300 && status > 100
        ? [
            { name: 'Contact', value: sandboxContact(transport.hostport) },
            { name: 'Allow', value: ALLOW },
          ]
        : [];
    if (body) headers.push({ name: 'Content-Type', value: 'application/sdp' });
    transport.sendResponse(
      this.dialog.connectionId,
      makeResponse(invite, status, {
        toTag: this.dialog.localTag,
        headers,
        ...(body ? { body } : {}),
      }),
    );
  }
}

/** The key of a DTMF INFO body, or undefined. */
export function dtmfOfInfo(body: string, contentType: string): string | undefined {
  const type = contentType.toLowerCase();
  const raw = type.startsWith('application/dtmf-relay')
    ? /^\s*Signal\s*=\s*(\S)/im.exec(body)?.[1]
    : type.startsWith('application/dtmf')
      ? body.trim().charAt(0)
      : undefined;
  return raw !== undefined && /^[0-9*#A-D]$/i.test(raw) ? raw.toUpperCase() : undefined;
}
