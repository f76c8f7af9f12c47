// The floor of figure 1: a bare node:http webhook doing the least a router can do per call — one
// Table point read (Azurite) and one transfer POST to the same sandbox — so the app's routing time
// can be read as a ratio of it. No auth, no claim row, no history: what the app adds on top of
// this is exactly what the ratio prices.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TableClient } from '@azure/data-tables';

export interface FloorRow {
  /** Inbound rows (partition "n", key = the floor's number): where to transfer (a SIP URI or number). */
  transferTo?: string;
  /** Outbound rows (partition "e", key = endpoint name): the caller id to use. */
  number?: string;
}

export interface FloorWebhookServerOptions {
  table: TableClient;
  /** Catapult REST base, e.g. http://127.0.0.1:<proxy>/v1. */
  catapultApiUrl: string;
  userId: string;
  apiToken: string;
  apiSecret: string;
  /** The URL Catapult reaches this server at (a measuring proxy), for the transfer legs' events; default its own. */
  publicUrl?: string;
}

export interface FloorWebhookServer {
  /** Also serves GET /stats → {failures}: answers whose row was missing or whose transfer failed. */
  url: string;
  close(): Promise<void>;
}

/** The fields the floor reads; like a bare server would, it trusts the sender's shape (a bad body is a failure). */
interface FloorCallEvent {
  eventType: string;
  callId: string;
  from: string;
  to: string;
}

export async function startFloorWebhookServer(options: FloorWebhookServerOptions): Promise<FloorWebhookServer> {
  const authorization = `Basic ${Buffer.from(`${options.apiToken}:${options.apiSecret}`).toString('base64')}`;
  let failures = 0;
  let ownUrl = '';

  async function onEvent(event: FloorCallEvent, isTransferLeg: boolean): Promise<void> {
    if (isTransferLeg || event.eventType !== 'answer') return;
    const outbound = event.from.startsWith('sip:');
    const key = outbound ? event.from.slice(4, event.from.indexOf('@')) : event.to;
    const row = await options.table.getEntity<FloorRow>(outbound ? 'e' : 'n', key);
    const transfer = outbound
      ? { transferTo: event.to, transferCallerId: row.number }
      : { transferTo: row.transferTo, transferCallerId: event.from };
    const response = await fetch(`${options.catapultApiUrl}/users/${options.userId}/calls/${event.callId}`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json' },
      body: JSON.stringify({
        state: 'transferring',
        ...transfer,
        callbackUrl: `${options.publicUrl ?? ownUrl}/events?leg=1`,
      }),
    });
    await response.arrayBuffer();
    if (response.status !== 201) failures += 1;
  }

  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/stats') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ failures }));
      return;
    }
    readBody(req)
      .then((body) => onEvent(JSON.parse(body) as FloorCallEvent, (req.url ?? '').includes('leg=1')))
      .then(
        () => res.writeHead(200).end(),
        () => {
          failures += 1;
          res.writeHead(500).end();
        },
      );
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  ownUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: ownUrl,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
