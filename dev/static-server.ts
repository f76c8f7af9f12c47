// Serves the built dialpad (web/dist) on its own origin, as Blob Storage's static website does in
// production, plus /config.json telling it where the API is. A separate port from the API keeps
// local development honest about CORS. index.html goes out as publishing leaves it in production: its CSP
// names the API's and the SIP WebSocket's origins (core/static-site/dialpad-csp.ts); and, as any host that can
// send headers should, with frame-ancestors 'none' (the static website cannot: the dialpad checks itself).
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import type { ClientConfig } from '../core/api-types';
import { FRAME_HEADERS, withConnectOrigins } from '../core/static-site/dialpad-csp';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json',
};

export interface StaticServerOptions {
  root: string;
  host?: string; // default 127.0.0.1
  /**
   * The host name in the URL it reports (default: `host`). The stack says `localhost`: browsers resolve it to
   * loopback themselves, and passkeys need a domain name for an origin (WebAuthn refuses IP addresses).
   */
  urlHost?: string;
  port?: number; // 0 = ephemeral
  /** Read on every request, so the API URL can be filled in after this server is listening. */
  clientConfig: () => ClientConfig;
  /** URLs besides the API's that index.html's connect-src names (the SIP WebSocket); read per request. */
  connectUrls?: () => readonly string[];
  /**
   * Send FRAME_HEADERS with index.html (default true). False serves it as Blob Storage's static website does,
   * with no headers of ours, so tests can see the dialpad refuse a frame by itself.
   */
  frameHeaders?: boolean;
}

export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

export async function startStaticServer(options: StaticServerOptions): Promise<StaticServer> {
  const root = normalize(options.root);
  const server = createServer((req, res) => {
    const pathname = safePathname(req.url);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    if (pathname === '/config.json') {
      const body = JSON.stringify(options.clientConfig());
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : body);
      return;
    }
    const file =
      pathname === undefined ? undefined : join(root, pathname.endsWith('/') ? `${pathname}index.html` : pathname);
    if (file === undefined || (file !== root && !file.startsWith(root + sep))) {
      res.writeHead(400).end();
      return;
    }
    if (file !== undefined && extname(file) === '.html') {
      serveHtml(file, req.method === 'HEAD', res, options);
      return;
    }
    stat(file).then(
      (info) => {
        if (!info.isFile()) throw new Error('not a file');
        res.writeHead(200, {
          'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
          'Content-Length': info.size,
          // Hashed assets could be cached for long; the shell must not be, and locally nothing should.
          'Cache-Control': 'no-cache',
        });
        if (req.method === 'HEAD') res.end();
        else createReadStream(file).pipe(res);
      },
      () => {
        res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found');
      },
    );
  });
  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolvePromise());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.urlHost ?? options.host ?? '127.0.0.1'}:${port}`,
    close: () =>
      new Promise<void>((resolvePromise) => {
        server.close(() => resolvePromise());
        server.closeAllConnections();
      }),
  };
}

/** index.html with this deployment's connect-src origins, and the frame headers unless told not to. */
function serveHtml(file: string, head: boolean, res: ServerResponse, options: StaticServerOptions): void {
  readFile(file, 'utf8').then(
    (html) => {
      const urls = [options.clientConfig().apiBaseUrl, ...(options.connectUrls?.() ?? [])].filter(Boolean);
      const body = withConnectOrigins(html, urls);
      res.writeHead(200, {
        'Content-Type': CONTENT_TYPES['.html'],
        'Content-Length': Buffer.byteLength(body),
        'Cache-Control': 'no-cache',
        ...(options.frameHeaders === false ? {} : FRAME_HEADERS),
      });
      res.end(head ? undefined : body);
    },
    () => {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found');
    },
  );
}

function safePathname(url: string | undefined): string | undefined {
  try {
    return normalize(decodeURIComponent(new URL(url ?? '/', 'http://x').pathname));
  } catch {
    return undefined;
  }
}
