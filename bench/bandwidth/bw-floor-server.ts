// The floor of figure 1 on Bandwidth: a bare node:http webhook doing the least a router can do per `initiate`,
// answered with BXML as Bandwidth wants. An In-App call (its `uui` a token the floor signed, checked with one
// HMAC): one Table point read for the caller's number, then <Transfer>. A call to a floor number: one point read
// for whose number it is, one send-to-user to Web PubSub (the app tells the dialpads too), then <Ring> +
// <Redirect>. Basic credentials are compared, nothing else: no claim row, no history, no caller-token expiry.
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TableClient } from '@azure/data-tables';

export interface BwFloorOptions {
  table: TableClient;
  /** Basic credentials the sandbox sends (the floor application's CallbackCreds). */
  user: string;
  password: string;
  /** The key the floor's caller tokens are signed with. */
  tokenKey: string;
  webPubSub: { endpoint: string; accessKey: string; hub: string };
  /** Where the sandbox reaches this server (its measuring proxy), for redirects. */
  publicUrl: string;
}

/** Partition "line", key = line index → {number}; partition "n", key = E.164 → {username}. */
export interface BwFloorRow {
  number?: string;
  username?: string;
}

export function floorCallerToken(line: number, key: string): string {
  const body = `floor.${line}`;
  return `${body}.${createHmac('sha256', key).update(body).digest('base64url')}`;
}

function hs256(claims: Record<string, unknown>, key: string): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}`;
  return `${unsigned}.${createHmac('sha256', key).update(unsigned).digest('base64url')}`;
}

export async function startBwFloorServer(options: BwFloorOptions): Promise<{ url: string; close(): Promise<void> }> {
  const authorization = `Basic ${Buffer.from(`${options.user}:${options.password}`).toString('base64')}`;
  const park = `<Response><Ring duration="5"/><Redirect redirectUrl="${options.publicUrl}/redirect"/></Response>`;

  async function initiate(event: { to: string; from: string; callId: string; uui?: string }): Promise<string> {
    if (event.uui) {
      const [kind, line, signature] = event.uui.split(';')[0]!.split('.');
      const body = `${kind}.${line}`;
      if (signature !== createHmac('sha256', options.tokenKey).update(body).digest('base64url'))
        return '<Response><Hangup/></Response>';
      const row = await options.table.getEntity<BwFloorRow>('line', String(line));
      return `<Response><Transfer transferCallerId="${row.number}"><PhoneNumber>${event.to}</PhoneNumber></Transfer></Response>`;
    }
    const row = await options.table.getEntity<BwFloorRow>('n', event.to);
    const url = `${options.webPubSub.endpoint}/api/hubs/${options.webPubSub.hub}/users/${row.username}/:send?api-version=2024-01-01`;
    const sent = await fetch(url, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${hs256({ aud: url, exp: Math.floor(Date.now() / 1000) + 300 }, options.webPubSub.accessKey)}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ type: 'incoming-call', callId: event.callId, from: event.from }),
    });
    if (sent.status !== 202) throw new Error(`send-to-user ${sent.status}`);
    return park;
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        if (req.headers.authorization !== authorization) {
          res.writeHead(401).end();
          return;
        }
        const event = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as {
          eventType?: string;
          to: string;
          from: string;
          callId: string;
          uui?: string;
        };
        let bxml: string | undefined;
        if (event.eventType === 'initiate') bxml = await initiate(event);
        else if (event.eventType === 'redirect') bxml = park;
        if (bxml) res.writeHead(200, { 'Content-Type': 'application/xml' }).end(bxml);
        else res.writeHead(204).end();
      })().catch(() => {
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
