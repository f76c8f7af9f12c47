// The sandbox's one HTTP router: route matching, Catapult auth, JSON bodies, injected faults,
// the /v1 request log, and the mapping of every failure to a Catapult error body (docs/contracts/catapult-v1.md §2).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RouteHandler, RouteOptions, Router, SandboxAccount, SandboxResponse } from '../context';
import { catapultError, SandboxHttpError, type CatapultErrorBody } from '../errors';
import type { Delays } from '../faults/delays';
import { faultAction } from '../faults/fault-response';
import type { Fault, FaultRegistry } from '../faults/fault-registry';
import type { Holds } from '../faults/holds';
import { authenticate } from './basic-auth';
import { lowerCaseHeaders, parseBody, readBody, writeResponse } from './http-io';
import type { RequestLog } from './request-log';
import { compilePattern, matchPattern, splitPath, type RoutePattern } from './route-pattern';

export interface SandboxRouterOptions {
  baseUrl: string;
  findAccountByToken: (apiToken: string) => SandboxAccount | undefined;
  faults: FaultRegistry;
  requestLog: RequestLog;
  delays: Delays;
  holds: Holds;
  /** Wall clock for the request log and rate-limit reset times (not the sandbox's possibly fake clock). */
  now: () => number;
  log: (message: string, fields?: Record<string, unknown>) => void;
}

interface Route {
  method: string;
  pattern: RoutePattern;
  handler: RouteHandler;
  auth: 'catapult' | 'none';
  family: string | undefined;
}

type Resolution =
  | { kind: 'found'; route: Route; rawSegments: string[] }
  | { kind: 'method-not-allowed'; allowed: string[] }
  | { kind: 'not-found' };

export class SandboxRouter implements Router {
  private readonly routes: Route[] = [];

  constructor(private readonly options: SandboxRouterOptions) {}

  add(method: string, pattern: string, handler: RouteHandler, routeOptions: RouteOptions = {}): void {
    const compiled = compilePattern(pattern);
    const upper = method.toUpperCase();
    if (this.routes.some((route) => route.method === upper && route.pattern.source === pattern)) {
      throw new Error(`route ${upper} ${pattern} is already registered`);
    }
    this.routes.push({
      method: upper,
      pattern: compiled,
      handler,
      auth: routeOptions.auth ?? 'catapult',
      family: routeOptions.family ?? defaultFamily(compiled),
    });
  }

  /** node:http request listener. Never rejects: every failure becomes an HTTP answer. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const startedAt = this.options.now();
    const method = (req.method ?? 'GET').toUpperCase();
    const url = requestUrl(req.url, this.options.baseUrl);
    const isApi = url.pathname === '/v1' || url.pathname.startsWith('/v1/');
    let faultId: string | undefined;
    if (isApi) {
      res.on('close', () => {
        this.options.requestLog.record({
          method,
          path: url.pathname,
          query: Object.fromEntries(url.searchParams),
          status: res.headersSent ? res.statusCode : 0,
          startedAt: new Date(startedAt).toISOString(),
          durationMs: this.options.now() - startedAt,
          ...(faultId === undefined ? {} : { faultId }),
        });
      });
    }
    let fault: Fault | undefined;
    let response: SandboxResponse;
    try {
      const resolution = this.resolve(method, url.pathname);
      if (isApi) {
        fault = this.options.faults.take({
          method,
          path: url.pathname,
          decodedPath: safeDecode(url.pathname),
          family: resolution.kind === 'found' ? resolution.route.family : undefined,
        });
        if (fault) {
          faultId = fault.id;
          const served = await this.applyFault(fault, method, url, req, res);
          if (served) return;
        }
      }
      response = await this.dispatch(resolution, method, url, req);
    } catch (error) {
      if (res.headersSent || res.destroyed) return;
      response = this.errorResponse(error, method, url, isApi);
    }
    if (fault?.hold === 'after' && !(await this.hold(fault, 'after', method, url))) {
      req.socket.destroy(); // the sandbox is closing
      return;
    }
    if (!res.destroyed) writeResponse(res, response);
  }

  /** True when the fault answered (or dropped) the request; false to serve it normally after the delay. */
  private async applyFault(
    fault: Fault,
    method: string,
    url: URL,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<boolean> {
    const action = faultAction(fault, this.options.now());
    this.options.log('sandbox fault applied', { faultId: fault.id, method, path: url.pathname });
    if (fault.hold === 'before' && !(await this.hold(fault, 'before', method, url))) {
      req.socket.destroy(); // the sandbox is closing
      return true;
    }
    if (!(await this.options.delays.wait(action.delayMs))) {
      req.socket.destroy(); // the sandbox is closing
      return true;
    }
    if (action.drop) {
      req.socket.destroy();
      return true;
    }
    if (!action.response) return false;
    const body = action.response.body;
    const response =
      fault.body === undefined && isErrorBody(body)
        ? { ...action.response, body: withRequestDetails(body, method, url) }
        : action.response;
    writeResponse(res, response);
    return true;
  }

  private hold(fault: Fault, stage: 'before' | 'after', method: string, url: URL): Promise<boolean> {
    return this.options.holds.hold({ faultId: fault.id, method, path: url.pathname, stage });
  }

  private async dispatch(
    resolution: Resolution,
    method: string,
    url: URL,
    req: IncomingMessage,
  ): Promise<SandboxResponse> {
    if (resolution.kind === 'not-found') {
      throw catapultError(404, 'not-found', 'resource-not-found', `No resource at ${url.pathname}`);
    }
    if (resolution.kind === 'method-not-allowed') {
      const allow = resolution.allowed.join(', ');
      const body = catapultError(
        405,
        'bad-request',
        'method-not-allowed',
        `${method} is not allowed here (allowed: ${allow})`,
      ).body;
      throw new SandboxHttpError(405, body, { Allow: allow });
    }
    const { route, rawSegments } = resolution;
    const params = matchPattern(route.pattern, rawSegments) ?? {};
    const headers = lowerCaseHeaders(req);
    let account: SandboxAccount | undefined;
    if (route.auth === 'catapult') {
      account = authenticate(headers.authorization, this.options.findAccountByToken);
      if (params.userId !== undefined && params.userId !== account.userId) {
        throw catapultError(
          401,
          'authorization',
          'user-access-denied',
          `The credentials may not access user '${params.userId}'`,
        );
      }
    }
    const body = parseBody(await readBody(req), headers['content-type']);
    return route.handler({
      method,
      url,
      params,
      query: url.searchParams,
      headers,
      body,
      ...(account ? { account } : {}),
    });
  }

  private resolve(method: string, pathname: string): Resolution {
    const rawSegments = splitPath(pathname);
    const candidates = this.routes
      .filter((route) => matchesShape(route.pattern, rawSegments))
      .sort((a, b) => b.pattern.literalCount - a.pattern.literalCount);
    if (candidates.length === 0) return { kind: 'not-found' };
    const route = candidates.find((candidate) => candidate.method === method);
    if (route) return { kind: 'found', route, rawSegments };
    const best = candidates[0]!.pattern.literalCount;
    const allowed = [...new Set(candidates.filter((c) => c.pattern.literalCount === best).map((c) => c.method))];
    return { kind: 'method-not-allowed', allowed };
  }

  private errorResponse(error: unknown, method: string, url: URL, isApi: boolean): SandboxResponse {
    let httpError: SandboxHttpError;
    if (error instanceof SandboxHttpError) {
      httpError = error;
    } else {
      this.options.log('sandbox route failed', {
        method,
        path: url.pathname,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
      httpError = catapultError(
        500,
        'unavailable',
        'internal-server-error',
        'The sandbox failed to handle the request',
      );
    }
    const body = isApi ? withRequestDetails(httpError.body, method, url) : httpError.body;
    return { status: httpError.status, headers: { ...httpError.headers }, body };
  }
}

/** Route-shape match without decoding, so a bad %-escape still resolves the route (and 400s later). */
function matchesShape(pattern: RoutePattern, rawSegments: readonly string[]): boolean {
  return (
    pattern.segments.length === rawSegments.length &&
    pattern.segments.every((segment, i) => segment.startsWith(':') || segment === rawSegments[i])
  );
}

/** 'calls' for /v1/users/:userId/calls/..., else the first segment after /v1 (e.g. 'availableNumbers'). */
function defaultFamily(pattern: RoutePattern): string | undefined {
  const segments = pattern.segments;
  const users = segments.indexOf('users');
  if (users >= 0 && segments[users + 1]?.startsWith(':') && segments[users + 2] !== undefined)
    return segments[users + 2];
  if (segments[0] === 'v1' && segments[1] !== undefined && !segments[1].startsWith(':')) return segments[1];
  return segments[0];
}

/**
 * Catapult lists the request in `details` (docs/contracts/catapult-v1.md §2); handler-supplied details are kept first.
 */
function withRequestDetails(body: CatapultErrorBody, method: string, url: URL): CatapultErrorBody {
  const details = body.details.filter((d) => d.name !== 'requestMethod' && d.name !== 'requestPath');
  details.push(
    { name: 'requestMethod', value: method },
    { name: 'requestPath', value: url.pathname.replace(/^\/v1\//, '') },
  );
  return { ...body, details };
}

function isErrorBody(body: unknown): body is CatapultErrorBody {
  return typeof body === 'object' && body !== null && Array.isArray((body as CatapultErrorBody).details);
}

/**
 * Absolute URL on the sandbox's own origin. The target is appended rather than resolved, so a path like
 * `//elsewhere/x` can never put another host into Link headers; absolute-form targets keep only path + query.
 */
function requestUrl(target: string | undefined, baseUrl: string): URL {
  const raw = target ?? '/';
  if (raw.startsWith('/')) return new URL(`${baseUrl}${raw.replace(/^\/+/, '/')}`);
  try {
    const absolute = new URL(raw);
    return new URL(`${baseUrl}${absolute.pathname}${absolute.search}`);
  } catch {
    return new URL(`${baseUrl}/`);
  }
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
