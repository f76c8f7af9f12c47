// The Bandwidth side's HTTP router: OAuth at /api/v1/oauth2/token, the Numbers API at /api/accounts/…, the Voice
// API at /api/v2/accounts/…, and its control API at /sandbox/bandwidth/…. It checks Bearer tokens and their role,
// applies injected faults, logs API requests, and answers every failure in the shape of the API it belongs to.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Delays } from '../../faults/delays';
import type { Fault, FaultRegistry } from '../../faults/fault-registry';
import type { RequestLog } from '../../rest/request-log';
import { compilePattern, matchPattern, splitPath, type RoutePattern } from '../../rest/route-pattern';
import { MAX_BODY_BYTES } from '../../rest/http-io';
import { BandwidthHttpError, genericError, numbersRateLimit, voiceRateLimit, type ApiKind } from './bw-errors';
import type { TokenIssuer } from './oauth';
import type { ObservedRequest } from '../bandwidth-options';

export interface BwRequest {
  method: string;
  url: URL;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: Record<string, string | undefined>; // lower-case names
  /** The raw body text ('' when empty). */
  body: string;
}

export interface BwResponse {
  status: number;
  headers?: Record<string, string>;
  /** A string is sent as XML unless headers say otherwise; a Buffer as is (with its own Content-Type); an object as JSON. */
  body?: string | Buffer | object;
}

export type BwHandler = (request: BwRequest) => Promise<BwResponse> | BwResponse;

interface Route {
  method: string;
  pattern: RoutePattern;
  kind: ApiKind;
  auth: 'account' | 'none';
  handler: BwHandler;
}

export interface BwRouterOptions {
  baseUrl: string;
  /** The one account this sandbox plays; any other `{accountId}` in a path is refused with 403. */
  accountId: string;
  tokens: TokenIssuer;
  faults: FaultRegistry;
  requestLog: RequestLog;
  delays: Delays;
  log: (message: string, fields?: Record<string, unknown>) => void;
  observeRequest?: (request: ObservedRequest) => void;
}

export class BwRouter {
  private readonly routes: Route[] = [];

  constructor(private readonly options: BwRouterOptions) {}

  add(method: string, pattern: string, kind: ApiKind, handler: BwHandler, auth: 'account' | 'none' = 'account'): void {
    this.routes.push({ method: method.toUpperCase(), pattern: compilePattern(pattern), kind, auth, handler });
  }

  /** True for the paths this router owns. */
  owns(pathname: string): boolean {
    return pathname === '/api' || pathname.startsWith('/api/') || pathname.startsWith('/sandbox/bandwidth');
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const startedAt = Date.now();
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(`${this.options.baseUrl}${(req.url ?? '/').replace(/^\/+/, '/')}`);
    const kind = kindOf(url.pathname);
    let faultId: string | undefined;
    if (kind !== 'control') {
      res.on('close', () =>
        this.options.requestLog.record({
          method,
          path: url.pathname,
          query: Object.fromEntries(url.searchParams),
          status: res.headersSent ? res.statusCode : 0,
          startedAt: new Date(startedAt).toISOString(),
          durationMs: Date.now() - startedAt,
          ...(faultId === undefined ? {} : { faultId }),
        }),
      );
    }
    try {
      if (kind !== 'control') {
        const fault = this.options.faults.take({ method, path: url.pathname, decodedPath: url.pathname, family: kind });
        if (fault) {
          faultId = fault.id;
          if (await this.applyFault(fault, kind, req, res)) return;
        }
      }
      const response = await this.dispatch(method, url, kind, req);
      send(res, response);
    } catch (error) {
      if (res.headersSent || res.destroyed) return;
      if (!(error instanceof BandwidthHttpError)) {
        this.options.log('bandwidth route failed', {
          method,
          path: url.pathname,
          error: error instanceof Error ? (error.stack ?? error.message) : String(error),
        });
      }
      const failure =
        error instanceof BandwidthHttpError
          ? error
          : genericError(kind, 500, 'The sandbox failed to handle the request');
      send(res, { status: failure.status, headers: failure.headers, body: failure.body });
    }
  }

  private async dispatch(method: string, url: URL, kind: ApiKind, req: IncomingMessage): Promise<BwResponse> {
    const headers: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    }
    // Credentials are checked before the route: without a valid token a client learns nothing about paths.
    if (kind === 'numbers' || kind === 'voice') this.authorize(kind, headers.authorization);
    const segments = splitPath(url.pathname);
    const shaped = this.routes
      .filter((route) => shapeMatches(route.pattern, segments))
      .sort((a, b) => b.pattern.literalCount - a.pattern.literalCount);
    if (shaped.length === 0) throw genericError(kind, 404, `No resource at ${url.pathname}`);
    const route = shaped.find((candidate) => candidate.method === method);
    if (!route) {
      const allow = [...new Set(shaped.map((r) => r.method))].join(', ');
      const error = genericError(kind, 405, `${method} is not allowed here (allowed: ${allow})`);
      throw new BandwidthHttpError(405, error.body, { Allow: allow });
    }
    const params = matchPattern(route.pattern, segments) ?? {};
    if (route.auth === 'account') {
      if (params.accountId !== undefined && params.accountId !== this.options.accountId) {
        throw genericError(kind, 403, `The credential may not access account '${params.accountId}'`);
      }
    }
    const body = await readText(req, kind);
    if (kind !== 'control') this.observe({ api: kind, method, path: url.pathname, headers, body, url });
    return route.handler({ method, url, params, query: url.searchParams, headers, body });
  }

  private observe(input: {
    api: ObservedRequest['api'];
    method: string;
    path: string;
    url: URL;
    headers: Record<string, string | undefined>;
    body: string;
  }): void {
    const observer = this.options.observeRequest;
    if (!observer) return;
    const contentType = input.headers['content-type'];
    try {
      observer({
        api: input.api,
        method: input.method,
        path: input.path,
        query: Object.fromEntries(input.url.searchParams),
        ...(contentType === undefined ? {} : { contentType }),
        body: input.body,
      });
    } catch (error) {
      // A test's observer is not the platform: its failure must not change what the app receives.
      this.options.log('bandwidth request observer failed', {
        path: input.path,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  /** Bearer token of the account credential; the In-App Calling credential's token is refused with 403. */
  private authorize(kind: ApiKind, authorization: string | undefined): void {
    const check = this.options.tokens.check(authorization);
    if (!check.ok) {
      const description =
        check.reason === 'expired'
          ? 'The access token has expired'
          : check.reason === 'unknown'
            ? 'The access token is not valid'
            : 'A Bearer access token is required';
      const error = genericError(kind, 401, description);
      throw new BandwidthHttpError(401, error.body, {
        'WWW-Authenticate': `Bearer${check.reason === 'missing' ? '' : ' error="invalid_token"'}`,
      });
    }
    if (check.role !== 'account') throw genericError(kind, 403, 'The credential may not use this API');
  }

  /** True when the fault answered or dropped the request; false to serve it normally after its delay. */
  private async applyFault(fault: Fault, kind: ApiKind, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const delayMs = fault.delayMs ?? (fault.preset === 'timeout' ? 30_000 : 0);
    if (!(await this.options.delays.wait(delayMs)) || fault.drop) {
      req.socket.destroy();
      return true;
    }
    const preset = fault.preset === 'rate-limit' ? 429 : fault.preset === 'server-error' ? 500 : undefined;
    const status = fault.status ?? preset;
    if (status === undefined) return false;
    const shaped =
      status === 429
        ? rateLimitError(kind)
        : status >= 400
          ? genericError(kind, status, `Fault injected by the sandbox (${status})`)
          : undefined;
    const body = (fault.body as string | object | undefined) ?? shaped?.body;
    send(res, { status, headers: { ...shaped?.headers, ...fault.headers }, ...(body === undefined ? {} : { body }) });
    return true;
  }
}

/** A 429 as each API sends it (docs/contracts/bandwidth-v2.md §2.4, §8.4). */
function rateLimitError(kind: ApiKind): BandwidthHttpError {
  if (kind === 'numbers') return numbersRateLimit(Date.now());
  if (kind === 'voice') return voiceRateLimit('Account call creation rate limit exceeded');
  const error = genericError(kind, 429, 'Too many requests');
  return new BandwidthHttpError(429, error.body, { 'Retry-After': '1' });
}

/** Which API a path belongs to; decides the shape of its errors. */
export function kindOf(pathname: string): ApiKind {
  if (pathname.startsWith('/sandbox/')) return 'control';
  if (pathname.startsWith('/api/v1/oauth2')) return 'oauth';
  if (pathname.startsWith('/api/v2/')) return 'voice';
  return 'numbers';
}

function shapeMatches(pattern: RoutePattern, segments: readonly string[]): boolean {
  return (
    pattern.segments.length === segments.length &&
    pattern.segments.every((segment, i) => segment.startsWith(':') || segment === segments[i])
  );
}

async function readText(req: IncomingMessage, kind: ApiKind): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw genericError(kind, 413, 'The request body is too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, response: BwResponse): void {
  const headers: Record<string, string> = { ...(response.headers ?? {}) };
  const hasType = Object.keys(headers).some((name) => name.toLowerCase() === 'content-type');
  let payload: Buffer | undefined;
  if (response.body === '') {
    // No body, so no Content-Type either (the Numbers API's 429).
  } else if (Buffer.isBuffer(response.body)) {
    payload = response.body;
  } else if (typeof response.body === 'string') {
    payload = Buffer.from(response.body);
    if (!hasType) headers['Content-Type'] = 'application/xml; charset=utf-8';
  } else if (response.body !== undefined) {
    payload = Buffer.from(JSON.stringify(response.body));
    if (!hasType) headers['Content-Type'] = 'application/json; charset=utf-8';
  }
  headers['Content-Length'] = String(payload?.length ?? 0);
  res.writeHead(response.status, headers);
  res.end(payload);
}
