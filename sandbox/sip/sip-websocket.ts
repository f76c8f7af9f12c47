// SIP over WebSocket (RFC 7118) on the sandbox's own http.Server: upgrades on `/sip` with subprotocol `sip`,
// one SIP message per text frame, ping/pong keepalive (a tab that stops answering loses its bindings).
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { SipConnection } from './flow-table';
import { parseSipMessage, SipParseError, type SipMessage } from './sip-message';

export const SIP_PATH = '/sip';

/** What handles the SIP traffic of one WebSocket path (the Catapult SipService, the Bandwidth gateway). */
export interface SipEndpointService {
  connectionOpened(connection: SipConnection): void;
  receive(connectionId: string, message: SipMessage): void;
  connectionClosed(connectionId: string): void;
}

export interface SipWebSocketOptions {
  server: Server;
  service: SipEndpointService;
  /** The upgrade path (default `/sip`). */
  path?: string;
  log: (message: string, fields?: Record<string, unknown>) => void;
  /** Keepalive ping period; a connection that has not answered the previous ping is closed. */
  pingIntervalMs?: number;
}

export function attachSipWebSocket(options: SipWebSocketOptions): { close(): Promise<void> } {
  const { server, service, log } = options;
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: 64 * 1024, // a SIP message with SDP is a few kB; refuse anything absurd
    handleProtocols: (protocols) => (protocols.has('sip') ? 'sip' : false),
  });
  let nextId = 0;
  const alive = new Map<WebSocket, boolean>();

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(request.url ?? '/', 'http://sandbox.invalid').pathname;
    if (path !== (options.path ?? SIP_PATH)) return; // another upgrade handler may own it
    const offered = (request.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
    if (!offered.includes('sip')) {
      // RFC 7118 §4: a SIP WebSocket must negotiate the "sip" subprotocol.
      socket.end(
        'HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nSec-WebSocket-Protocol must include "sip"\n',
      );
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  };
  server.on('upgrade', onUpgrade);

  wss.on('connection', (ws: WebSocket) => {
    const id = `${options.path && options.path !== SIP_PATH ? 'gw' : 'ws'}${++nextId}`;
    alive.set(ws, true);
    service.connectionOpened({ id, send: (text) => ws.readyState === ws.OPEN && ws.send(text) });
    log('sip connection opened', { connectionId: id });
    ws.on('pong', () => alive.set(ws, true));
    ws.on('message', (data, isBinary) => {
      const text = rawDataText(data);
      void isBinary; // SIP over WebSocket may use text or binary frames (RFC 7118); both carry UTF-8
      if (/^\s*$/.test(text)) return; // CRLF keepalives some clients still send
      try {
        service.receive(id, parseSipMessage(text));
      } catch (error) {
        // One bad message (or a bug handling it) must not take the sandbox down for every other client.
        const code = error instanceof SipParseError ? error.code : 'sip-handler-error';
        log('sip message dropped', {
          connectionId: id,
          code,
          ...(code === 'sip-handler-error' ? { error: String(error) } : {}),
        });
      }
    });
    ws.on('close', () => {
      alive.delete(ws);
      service.connectionClosed(id);
      log('sip connection closed', { connectionId: id });
    });
    ws.on('error', () => ws.terminate());
  });

  const pinger = setInterval(() => {
    for (const [ws, answered] of alive) {
      if (!answered) {
        ws.terminate(); // emits close → bindings dropped
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, options.pingIntervalMs ?? 30_000);
  pinger.unref();

  return {
    close: async () => {
      clearInterval(pinger);
      server.off('upgrade', onUpgrade);
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/** A frame's payload as text: `ws` hands over a Buffer, an ArrayBuffer, or the fragments of one message. */
function rawDataText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return (Buffer.isBuffer(data) ? data : Buffer.from(data)).toString('utf8');
}
