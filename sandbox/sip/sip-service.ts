// The SIP side without the WebSocket: takes parsed messages from connections, runs the registrar, turns INVITEs
// into call-model legs (InboundCall) and rings registered clients for the model (OutboundRing).
// The sandbox ends every dialog itself (a signalling B2BUA) and passes SDP end to end through the model.
import type { CallNetwork, LegControl, RingRequest } from '../calls/network';
import type { Directory } from '../context';
import { BindingStore, type Binding } from './binding-store';
import { classifyRequest } from './classify-request';
import { DigestAuthenticator } from './digest-auth';
import { FlowTable, type SipConnection } from './flow-table';
import { InboundCall } from './inbound-call';
import { OutboundRing } from './outbound-ring';
import { authenticateEndpoint, handleRegister } from './registrar';
import { parseNameAddr, parseSipUri, parseVia } from './sip-header-values';
import { aorOf, isOutsidePhoneUri } from './sip-identity';
import { createSipRinger } from './sip-ringer';
import {
  getHeader,
  makeResponse,
  serializeSipMessage,
  type SipMessage,
  type SipRequest,
  type SipResponse,
} from './sip-message';
import { ALLOW, newTag, type SipTransport } from './sip-transport';

export interface SipServiceOptions {
  directory: Directory;
  network: CallNetwork;
  hostport: string;
  now: () => number;
  log: (message: string, fields?: Record<string, unknown>) => void;
}

export class SipService {
  readonly flows = new FlowTable();
  readonly bindings: BindingStore;
  private readonly digest: DigestAuthenticator;
  private readonly inbound = new Map<string, InboundCall>(); // SIP Call-ID → call a client placed
  private readonly ringsByCallId = new Map<string, OutboundRing>(); // SIP Call-ID of a branch → ring
  private readonly ringsByBranch = new Map<string, OutboundRing>(); // Via branch of a branch's INVITE → ring
  private readonly transport: SipTransport;
  /** Requests the sandbox sent inside dialogs and wants the answer to: Via branch → who hears it. */
  private readonly pending = new Map<string, { connectionId: string; onResponse: (response: SipResponse) => void }>();

  constructor(private readonly options: SipServiceOptions) {
    this.bindings = new BindingStore(options.now);
    this.digest = new DigestAuthenticator(options.now);
    this.transport = {
      hostport: options.hostport,
      log: options.log,
      sendResponse: (connectionId, response) => this.send(connectionId, response),
      sendRequest: (givenConnectionId, request, onResponse) => {
        // Route by the Request-URI's .invalid host when it is known (the flow table): a client that reconnected
        // keeps its Via/Contact host, so requests follow it to its new socket.
        const connectionId = this.transport.connectionFor(request.uri) ?? givenConnectionId;
        const branch = parseVia(getHeader(request, 'Via') ?? '')?.params.branch;
        if (onResponse && branch) this.pending.set(branch, { connectionId, onResponse });
        const sent = this.send(connectionId, request);
        if (!sent && onResponse && branch) this.failPending(branch);
        return sent;
      },
      connectionFor: (uri) => {
        const host = parseSipUri(uri)?.host;
        return host ? this.flows.byHost(host)?.id : undefined;
      },
    };
    options.network.addRinger(
      createSipRinger({
        directory: options.directory,
        bindings: this.bindings,
        log: options.log,
        ring: (request, bindings) => this.ring(request, bindings),
      }),
    );
  }

  connectionOpened(connection: SipConnection): void {
    this.flows.add(connection);
  }

  connectionClosed(connectionId: string): void {
    const dropped = this.bindings.removeConnection(connectionId);
    if (dropped.length > 0) this.options.log('sip bindings dropped with their connection', { count: dropped.length });
    for (const call of [...this.inbound.values()]) {
      if (call.connectionId === connectionId) call.onConnectionClosed();
    }
    for (const ring of new Set(this.ringsByCallId.values())) ring.onConnectionClosed(connectionId);
    for (const [branch, entry] of this.pending) if (entry.connectionId === connectionId) this.failPending(branch);
    this.flows.remove(connectionId);
  }

  receive(connectionId: string, message: SipMessage): void {
    // Learn the client's .invalid Via host on every message: responses and requests to it use this connection.
    const via = parseVia(getHeader(message, 'Via') ?? '');
    if (message.kind === 'response') return this.receiveResponse(message, via?.params.branch);
    this.flows.learn(via?.host, connectionId);
    const contact = parseNameAddr(getHeader(message, 'Contact') ?? '');
    if (contact) this.flows.learn(parseSipUri(contact.uri)?.host, connectionId);
    this.receiveRequest(connectionId, message);
  }

  private receiveRequest(connectionId: string, request: SipRequest): void {
    const reply = (response: SipResponse): void => void this.send(connectionId, response);
    const callId = getHeader(request, 'Call-ID') ?? '';
    switch (classifyRequest(request)) {
      case 'register':
        return reply(
          handleRegister(
            {
              directory: this.options.directory,
              digest: this.digest,
              bindings: this.bindings,
              flows: this.flows,
              now: this.options.now,
              log: this.options.log,
              newTag,
            },
            request,
            connectionId,
          ),
        );
      case 'initial-invite':
        return this.startInboundCall(connectionId, request);
      case 'cancel': {
        const call = this.inbound.get(callId);
        return call ? call.onCancel(request) : reply(makeResponse(request, 481));
      }
      case 'in-dialog': {
        const call = this.inbound.get(callId);
        if (call) return call.onInDialogRequest(request);
        const ring = this.ringsByCallId.get(callId);
        if (ring) return ring.onInDialogRequest(request, callId);
        if (request.method !== 'ACK') reply(makeResponse(request, 481));
        return;
      }
      case 'options':
        return reply(makeResponse(request, 200, { toTag: newTag(), headers: [{ name: 'Allow', value: ALLOW }] }));
      case 'ignore':
        return;
      case 'not-allowed':
        return reply(makeResponse(request, 405, { headers: [{ name: 'Allow', value: ALLOW }] }));
    }
  }

  private startInboundCall(connectionId: string, invite: SipRequest): void {
    const reply = (status: number, reason?: string, headers: Array<{ name: string; value: string }> = []): void =>
      void this.send(
        connectionId,
        makeResponse(invite, status, { toTag: newTag(), ...(reason ? { reason } : {}), headers }),
      );
    const callId = getHeader(invite, 'Call-ID') ?? '';
    if (this.inbound.has(callId)) return; // a retransmission (not expected over WS): the first is in progress
    const fromUri = parseSipUri(parseNameAddr(getHeader(invite, 'From') ?? '')?.uri ?? '');
    const target = parseSipUri(invite.uri);
    if (!fromUri || fromUri.user === undefined || !target || target.user === undefined)
      return reply(400, 'Bad From Or Request-URI');
    this.send(connectionId, makeResponse(invite, 100));

    let from: string;
    let endpointId: string | undefined;
    if (isOutsidePhoneUri(fromUri)) {
      // No password for outside phones, but only the page that registered this number may call from it.
      const registered = this.bindings.list(aorOf(fromUri)).some((b) => b.connectionId === connectionId);
      if (!registered) return reply(403, 'Outside Phone Not Registered On This Connection');
      from = fromUri.user;
    } else {
      const auth = authenticateEndpoint(
        { directory: this.options.directory, digest: this.digest },
        invite,
        fromUri,
        'proxy',
      );
      if (!auth.ok)
        return reply(
          auth.status,
          auth.reason,
          auth.challenge ? [{ name: auth.challenge.header, value: auth.challenge.value }] : [],
        );
      endpointId = auth.endpointId;
      from = aorOf(fromUri);
    }
    // "As dialled": digits and E.164 stay as they are (the app validates them); anything else is a SIP URI.
    const to = /^\+?[0-9*#]+$/.test(target.user) ? target.user : aorOf(target);
    const call = new InboundCall({
      transport: this.transport,
      invite,
      connectionId,
      onDone: (done) => this.inbound.get(done.sipCallId) === done && this.inbound.delete(done.sipCallId),
    });
    this.inbound.set(callId, call);
    call.originate(this.options.network, { from, to, ...(endpointId ? { endpointId } : {}) });
  }

  private ring(request: RingRequest, bindings: Binding[]): LegControl {
    // When the caller is a SIP client too, the model passed its INVITE's offer through unchanged: that pairs the
    // two dialogs, so re-INVITE/UPDATE/INFO can cross between them (SDP strings carry unique ICE credentials).
    const caller = request.offer
      ? [...this.inbound.values()].find((call) => call.offer === request.offer && !call.peer)
      : undefined;
    const ring = new OutboundRing({
      transport: this.transport,
      request,
      bindings,
      onBranch: (sipCallId, viaBranch, owner) => {
        this.ringsByCallId.set(sipCallId, owner);
        this.ringsByBranch.set(viaBranch, owner);
      },
      onDone: (done) => {
        // Keep the indexes a little longer: late 200s (lost races) still need their ACK + BYE.
        setTimeout(() => {
          for (const [key, owner] of this.ringsByCallId) if (owner === done) this.ringsByCallId.delete(key);
          for (const [key, owner] of this.ringsByBranch) if (owner === done) this.ringsByBranch.delete(key);
        }, 32_000).unref();
      },
    });
    if (caller) {
      caller.peer = ring;
      ring.peer = caller;
    }
    ring.start();
    return ring;
  }

  private receiveResponse(response: SipResponse, branch: string | undefined): void {
    const waiting = branch ? this.pending.get(branch) : undefined;
    if (waiting) {
      if (response.status >= 200) this.pending.delete(branch!);
      return waiting.onResponse(response);
    }
    const ring = branch ? this.ringsByBranch.get(branch) : undefined;
    if (ring) ring.onResponse(response);
    // Responses to our BYE/CANCEL need no action.
  }

  /** The client went away before answering: the side waiting for it hears 408. */
  private failPending(branch: string): void {
    const entry = this.pending.get(branch);
    this.pending.delete(branch);
    entry?.onResponse({ kind: 'response', status: 408, reason: 'Request Timeout', headers: [], body: '' });
  }

  private send(connectionId: string, message: SipMessage): boolean {
    const connection = this.flows.get(connectionId);
    if (!connection) return false;
    connection.send(serializeSipMessage(message));
    return true;
  }

  /** Current registrations, for GET /sandbox/registrations. */
  registrations(): Array<{ aor: string; contact: string; kind: string; expires: number }> {
    return this.bindings.all().map((b) => ({
      aor: b.aor,
      contact: b.contactUri,
      kind: b.kind,
      expires: Math.max(0, Math.round((b.expiresAt - this.options.now()) / 1000)),
    }));
  }

  close(): void {
    for (const ring of new Set(this.ringsByCallId.values())) ring.hangUp('NORMAL_CLEARING');
  }
}
