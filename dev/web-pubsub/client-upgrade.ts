// The client side: a WebSocket to `/client/hubs/{hub}` (or `/client/?hub={hub}`) carrying its access token in
// the `access_token` query parameter or an `Authorization: Bearer` header. The token's audience is the hub's
// client URL in its http(s) form (`{endpoint}/client/hubs/{hub}`, what Microsoft's SDKs sign); its `sub` is the
// user id messages are addressed to. Only "simple" clients: no subprotocol is negotiated, and what a client
// sends is dropped, as a serverless hub without event handlers does.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { verifyAccessToken } from './access-token';
import type { ClientConnections } from './client-connections';

export interface ClientUpgradeContext {
  endpoint: string;
  accessKey: string;
  connections: ClientConnections;
  now(): number;
  log(line: string): void;
}

function refuse(socket: Duplex, status: string, message: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${message}\n`);
}

/** Returns the upgrade handler and a close() that ends every client connection. */
export function createClientUpgrade(context: ClientUpgradeContext) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024, handleProtocols: () => false });

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const url = new URL(request.url ?? '/', context.endpoint);
    const pathHub = /^\/client\/hubs\/([^/]+)$/.exec(url.pathname)?.[1];
    const hub = pathHub !== undefined ? decodeURIComponent(pathHub) : url.searchParams.get('hub');
    if (!hub || !(pathHub !== undefined || url.pathname === '/client/' || url.pathname === '/client'))
      return refuse(socket, '404 Not Found', 'Clients connect to /client/hubs/{hub}.');
    if (request.headers['sec-websocket-protocol'])
      return refuse(
        socket,
        '400 Bad Request',
        'This local stand-in takes simple WebSocket clients only (no subprotocol).',
      );
    const token =
      url.searchParams.get('access_token') ?? /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const check = verifyAccessToken(
      token ?? undefined,
      context.accessKey,
      `${context.endpoint}/client/hubs/${hub}`,
      context.now() / 1000,
    );
    if (!check.ok) {
      context.log(`web-pubsub client refused: ${check.problem}`);
      return refuse(socket, '401 Unauthorized', check.message);
    }
    const userId = typeof check.claims.sub === 'string' ? check.claims.sub : undefined;
    wss.handleUpgrade(request, socket, head, (ws) => {
      context.connections.add(hub, userId, ws);
      ws.on('error', () => ws.terminate());
      context.log(`web-pubsub client connected to ${hub} as ${userId ?? '(anonymous)'}`);
    });
  };

  return {
    onUpgrade,
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of wss.clients) ws.terminate();
        wss.close(() => resolve());
      }),
  };
}
