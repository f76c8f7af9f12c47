// A local stand-in for the part of Azure Web PubSub's data plane the app uses: clients connect over WebSocket
// with an access token, and the app sends JSON to a user's connections over REST. One node:http server on
// 127.0.0.1, no state but the open connections. dev/stack.ts starts it with the Bandwidth provider, as it
// starts Azurite; dev/README.md lists where it differs from the real service.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ClientConnections } from './client-connections';
import { createClientUpgrade } from './client-upgrade';
import { handleSendToUser, matchesSendToUser, sendError, type SendFault } from './send-to-user';

export interface WebPubSubOptions {
  port?: number; // 0 = ephemeral (default)
  /** Default: 32 random bytes in base64, like the real service's keys. */
  accessKey?: string;
  now?: () => number;
  log?: (line: string) => void;
}

export interface Delivery {
  hub: string;
  userId: string;
  contentType: string;
  body: string;
  /** How many connections it reached (0 when the user had none open). */
  connections: number;
}

export interface WebPubSubStandIn {
  /** `http://127.0.0.1:<port>`: the REST endpoint; clients use its ws:// form. */
  endpoint: string;
  accessKey: string;
  /** `Endpoint=…;AccessKey=…;Version=1.0;`, the form of the real service's connection string. */
  connectionString: string;
  /** Every message delivered (or addressed to a user with no connection), oldest first. */
  readonly deliveries: readonly Delivery[];
  /** Open connections of a user in a hub. */
  connectionCount(hub: string, userId: string): number;
  /** Closes client connections the way a network failure would (all, or one user's); returns how many. */
  dropConnections(filter?: { hub: string; userId: string }): number;
  /** The next `count` sends answer `status` (e.g. 500, 429) and deliver nothing. */
  failSends(fault: SendFault): void;
  close(): Promise<void>;
}

export async function startWebPubSub(options: WebPubSubOptions = {}): Promise<WebPubSubStandIn> {
  const accessKey = options.accessKey ?? randomBytes(32).toString('base64');
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => undefined);
  const connections = new ClientConnections();
  const deliveries: Delivery[] = [];
  let fault: SendFault | undefined;
  let endpoint = '';

  const context = {
    get endpoint() {
      return endpoint;
    },
    accessKey,
    connections,
    now,
    log,
    nextFault: (): SendFault | undefined => {
      if (!fault || fault.count <= 0) return undefined;
      fault = { ...fault, count: fault.count - 1 };
      return fault;
    },
    onDelivered: (delivery: Delivery) => deliveries.push(delivery),
  };
  const server: Server = createServer((request, response) => {
    const pathname = new URL(request.url ?? '/', 'http://stand-in.invalid').pathname;
    if (!matchesSendToUser(pathname)) return sendError(response, 404, 'NotFound', 'Not part of the stand-in.');
    handleSendToUser(request, response, context).catch(() => {
      if (!response.headersSent) sendError(response, 500, 'InternalServerError', 'The stand-in failed.');
    });
  });
  const upgrade = createClientUpgrade(context);
  server.on('upgrade', upgrade.onUpgrade);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  let closing: Promise<void> | undefined;
  return {
    endpoint,
    accessKey,
    connectionString: `Endpoint=${endpoint};AccessKey=${accessKey};Version=1.0;`,
    deliveries,
    connectionCount: (hub, userId) => connections.ofUser(hub, userId).length,
    dropConnections(filter) {
      const open = connections.list(filter);
      for (const socket of open) socket.terminate();
      return open.length;
    },
    failSends(next) {
      fault = next;
    },
    close() {
      closing ??= (async () => {
        await upgrade.close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      })();
      return closing;
    },
  };
}
