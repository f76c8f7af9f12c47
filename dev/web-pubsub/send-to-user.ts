// `POST /api/hubs/{hub}/users/{userId}/:send?api-version=…`: the one data-plane REST operation the app uses.
// Authenticated with a Bearer JWT whose audience is the request URL itself; the body is delivered as one
// WebSocket frame to each of the user's connections (text for JSON and plain text, binary for octet-stream),
// and the answer is 202 with no body, whether or not the user is connected (as the real service answers).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { verifyAccessToken } from './access-token';
import type { ClientConnections } from './client-connections';

/** The limit the real service puts on one message. */
export const MAX_MESSAGE_BYTES = 1024 * 1024;
const HUB_PATTERN = /^[A-Za-z][A-Za-z0-9_`,.[\]]{0,127}$/;
const SEND_TO_USER = /^\/api\/hubs\/([^/]+)\/users\/([^/]+)\/:send$/;
const TEXT_TYPES = new Set(['application/json', 'text/plain']);
const BINARY_TYPE = 'application/octet-stream';

export interface SendFault {
  status: number;
  /** How many sends fail before the stand-in answers normally again. */
  count: number;
}

export interface SendToUserContext {
  endpoint: string;
  accessKey: string;
  connections: ClientConnections;
  now(): number;
  log(line: string): void;
  /** Fault injection for tests of the caller's error handling; consumed one per request. */
  nextFault(): SendFault | undefined;
  onDelivered(delivery: { hub: string; userId: string; contentType: string; body: string; connections: number }): void;
}

export function sendError(response: ServerResponse, status: number, code: string, message: string): void {
  // The real service answers errors with an ErrorDetail body and the code in x-ms-error-code.
  response.writeHead(status, { 'Content-Type': 'application/json', 'x-ms-error-code': code });
  response.end(JSON.stringify({ code, message }));
}

export function matchesSendToUser(pathname: string): boolean {
  return SEND_TO_USER.test(pathname);
}

export async function handleSendToUser(
  request: IncomingMessage,
  response: ServerResponse,
  context: SendToUserContext,
): Promise<void> {
  const url = new URL(request.url ?? '/', context.endpoint);
  const [, rawHub, rawUser] = SEND_TO_USER.exec(url.pathname) ?? [];
  if (request.method !== 'POST') {
    response.setHeader('Allow', 'POST');
    return sendError(response, 405, 'MethodNotAllowed', 'Only POST sends to a user.');
  }
  const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
  // The audience is the URL exactly as the caller sent it, query string included.
  const check = verifyAccessToken(bearer, context.accessKey, `${context.endpoint}${request.url}`, context.now() / 1000);
  if (!check.ok) return sendError(response, 401, 'Unauthorized', check.message);
  if (!url.searchParams.get('api-version'))
    return sendError(response, 400, 'InvalidApiVersion', 'The api-version query parameter is required.');

  const hub = decodeURIComponent(rawHub!);
  const userId = decodeURIComponent(rawUser!);
  if (!HUB_PATTERN.test(hub)) return sendError(response, 400, 'InvalidHub', `'${hub}' is not a valid hub name.`);
  const contentType = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (!TEXT_TYPES.has(contentType) && contentType !== BINARY_TYPE)
    return sendError(response, 415, 'UnsupportedMediaType', `Content-Type '${contentType}' cannot be sent.`);

  const body = await readBody(request, MAX_MESSAGE_BYTES);
  if (body === undefined) return sendError(response, 413, 'PayloadTooLarge', 'The message is larger than 1 MB.');

  const fault = context.nextFault();
  if (fault) return sendError(response, fault.status, 'InjectedFault', 'Fault injected by the test.');

  const sockets = context.connections.ofUser(hub, userId);
  for (const socket of sockets) {
    if (contentType === BINARY_TYPE) socket.send(body, { binary: true });
    else socket.send(body.toString('utf8'));
  }
  context.onDelivered({ hub, userId, contentType, body: body.toString('utf8'), connections: sockets.length });
  context.log(`web-pubsub send ${hub}/${userId}: ${sockets.length} connection(s)`);
  response.writeHead(202).end();
}

function readBody(request: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks)));
    request.on('error', reject);
  });
}
