// A measuring reverse proxy on 127.0.0.1: it notes when each request arrives and when its answer
// has gone back, keeps the (small JSON) body and the answer's text for inspection, and forwards everything
// unchanged.
// The target is set after start, because the URL of the proxy must be known before the server it
// fronts is configured (PUBLIC_BASE_URL, CATAPULT_API_URL).
import { Agent, createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

export interface ProxiedRequest {
  method: string;
  /** Path and query as received. */
  url: string;
  /** JSON body if it parsed, else undefined. */
  json: unknown;
  /** performance.now() when the request's headers arrived / when the answer was fully sent back. */
  arrivedAt: number;
  answeredAt: number;
  status: number;
  /** The answer's body as text (a webhook's BXML), up to 64 KiB. */
  answerText: string;
}

export interface TimingProxy {
  url: string;
  setTarget(baseUrl: string): void;
  /** Called for every request once its body is read, before it is forwarded. */
  onRequest(listener: (request: ProxiedRequest) => void): void;
  /** Every finished request since the last clear (kept only while recording is on). */
  finished(): ProxiedRequest[];
  record(on: boolean): void;
  clear(): void;
  close(): Promise<void>;
}

export async function startTimingProxy(): Promise<TimingProxy> {
  let target: URL | undefined;
  const listeners: Array<(request: ProxiedRequest) => void> = [];
  let recording = false;
  let log: ProxiedRequest[] = [];
  // Keep-alive to the target, like the real clients; no socket cap so concurrency is not throttled here.
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });

  const server = createServer((req, res) => {
    const arrivedAt = performance.now();
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => forward(req, res, Buffer.concat(chunks), arrivedAt));
  });
  server.keepAliveTimeout = 30_000;

  function forward(req: IncomingMessage, res: ServerResponse, body: Buffer, arrivedAt: number): void {
    const entry: ProxiedRequest = {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      json: parseJson(body),
      arrivedAt,
      answeredAt: 0,
      status: 0,
      answerText: '',
    };
    for (const listener of listeners) listener(entry);
    if (!target) {
      res.writeHead(503).end();
      return;
    }
    const headers = { ...req.headers, host: target.host };
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, method: entry.method, path: entry.url, headers, agent },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        const chunks: Buffer[] = [];
        let size = 0;
        answer.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= 64 * 1024) chunks.push(chunk);
        });
        answer.pipe(res);
        res.on('finish', () => {
          entry.answeredAt = performance.now();
          entry.status = answer.statusCode ?? 0;
          entry.answerText = Buffer.concat(chunks).toString('utf8');
          if (recording) log.push(entry);
        });
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    upstream.end(body);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    setTarget: (baseUrl) => {
      target = new URL(baseUrl);
    },
    onRequest: (listener) => listeners.push(listener),
    finished: () => [...log],
    record: (on) => {
      recording = on;
    },
    clear: () => {
      log = [];
    },
    close: async () => {
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function parseJson(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}
