// What the call legs need from the WebSocket side: send on a connection, find the connection of a Contact,
// and fresh identifiers. Kept as an interface so the legs are unit-tested with an in-memory fake.
import { randomBytes } from 'node:crypto';
import type { HangupCause } from '../calls/network';
import type { SipRequest, SipResponse } from './sip-message';

export interface SipTransport {
  /** "127.0.0.1:8088": the sandbox's own host, used in Via, From and Contact of what it sends. */
  readonly hostport: string;
  sendResponse(connectionId: string, response: SipResponse): void;
  /**
   * Returns false when the connection is gone. `onResponse` hears every response to this request (matched by
   * its Via branch); if the connection closes before a final one, it hears a synthetic 408.
   */
  sendRequest(connectionId: string, request: SipRequest, onResponse?: (response: SipResponse) => void): boolean;
  /** The connection a Contact/Request-URI host (`xxxx.invalid`) was learnt on. */
  connectionFor(uri: string): string | undefined;
  log(message: string, fields?: Record<string, unknown>): void;
}

export const newTag = () => randomBytes(6).toString('hex');
export const newBranch = () => `z9hG4bK${randomBytes(8).toString('hex')}`;
export const newCallId = () => `${randomBytes(12).toString('hex')}@sandbox.invalid`;

export function sandboxContact(hostport: string): string {
  return `<sip:sandbox@${hostport};transport=ws>`;
}

export const ALLOW = 'INVITE, ACK, CANCEL, BYE, UPDATE, INFO, OPTIONS';

/** A dialog as seen from the sandbox's side of it (RFC 3261 §12). */
export interface DialogState {
  callId: string;
  localUri: string;
  localTag: string;
  remoteUri: string;
  remoteTag: string;
  remoteTarget: string; // the peer's Contact URI: where in-dialog requests go
  connectionId: string;
  localSeq: number;
}

export function inDialogRequest(
  hostport: string,
  dialog: DialogState,
  method: string,
  options: {
    branch?: string;
    seq?: number;
    body?: string;
    contentType?: string;
    extraHeaders?: Array<{ name: string; value: string }>;
  } = {},
): SipRequest {
  const seq = options.seq ?? ++dialog.localSeq;
  const headers = [
    { name: 'Via', value: `SIP/2.0/WS ${hostport};branch=${options.branch ?? newBranch()}` },
    { name: 'Max-Forwards', value: '70' },
    { name: 'From', value: `<${dialog.localUri}>;tag=${dialog.localTag}` },
    { name: 'To', value: `<${dialog.remoteUri}>;tag=${dialog.remoteTag}` },
    { name: 'Call-ID', value: dialog.callId },
    { name: 'CSeq', value: `${seq} ${method}` },
    ...(options.extraHeaders ?? []),
  ];
  if (options.body) headers.push({ name: 'Content-Type', value: options.contentType ?? 'application/sdp' });
  return { kind: 'request', method, uri: dialog.remoteTarget, headers, body: options.body ?? '' };
}

/** How a relayed in-dialog request is answered on the side it came from. */
export type RelayRespond = (response: { status: number; body?: string; contentType?: string }) => void;

/** The other SIP side of a call, when both ends are SIP clients: in-dialog re-INVITE/UPDATE/INFO go across. */
export interface RelayPeer {
  /** Sends `request`'s method and body into this side's dialog; false when this side cannot take it now. */
  relayInto(request: SipRequest, respond: RelayRespond): boolean;
}

/**
 * Sends `request` (from the other side) into `dialog` as a new in-dialog request, ACKs a 2xx to a re-INVITE, and
 * passes the final response back. Shared by both kinds of leg.
 */
export function relayIntoDialog(
  transport: SipTransport,
  dialog: DialogState,
  request: SipRequest,
  respond: RelayRespond,
): void {
  const contentType = request.body ? request.headers.find((h) => h.name === 'Content-Type')?.value : undefined;
  const out = inDialogRequest(transport.hostport, dialog, request.method, {
    ...(request.body ? { body: request.body } : {}),
    ...(contentType ? { contentType } : {}),
  });
  const seq = dialog.localSeq;
  transport.sendRequest(dialog.connectionId, out, (response) => {
    if (response.status < 200) return;
    if (request.method === 'INVITE' && response.status < 300) {
      transport.sendRequest(dialog.connectionId, inDialogRequest(transport.hostport, dialog, 'ACK', { seq }));
    }
    const type = response.body ? response.headers.find((h) => h.name === 'Content-Type')?.value : undefined;
    respond({
      status: response.status,
      ...(response.body ? { body: response.body } : {}),
      ...(type ? { contentType: type } : {}),
    });
  });
}

/** Final SIP status for a leg the model ended before it was answered. */
export function statusForCause(cause: HangupCause): number {
  switch (cause) {
    case 'USER_BUSY':
      return 486;
    case 'CALL_REJECTED':
      return 603;
    case 'UNALLOCATED_NUMBER':
      return 404;
    case 'NO_ANSWER':
      return 480;
    case 'ORIGINATOR_CANCEL':
      return 487;
    case 'NORMAL_TEMPORARY_FAILURE':
      return 503;
    case 'NORMAL_CLEARING':
      return 480; // the far side hung up before answering (e.g. the app hung up the call)
  }
}

/** Hang-up cause for a SIP client's final answer to an INVITE the sandbox sent (RFC 3398 §7.2.4.1, reduced). */
export function causeForStatus(status: number): HangupCause {
  if (status === 486 || status === 600) return 'USER_BUSY';
  if (status === 603 || status === 403) return 'CALL_REJECTED';
  if (status === 404 || status === 604 || status === 484) return 'UNALLOCATED_NUMBER';
  if (status === 408 || status === 480) return 'NO_ANSWER';
  if (status === 487) return 'ORIGINATOR_CANCEL';
  return 'NORMAL_TEMPORARY_FAILURE';
}
