// Reading request bodies and writing SandboxResponses on node:http.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { catapultError } from '../errors';
import type { SandboxResponse } from '../context';

/** Larger bodies are refused: nothing in the Catapult API needs more. */
export const MAX_BODY_BYTES = 1024 * 1024;

export async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES)
      throw catapultError(413, 'bad-request', 'request-too-large', 'The request body is too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * JSON when the content type says so (or is absent and the text parses), the raw string otherwise,
 * undefined when empty. A body declared as JSON that does not parse is a 400.
 */
export function parseBody(raw: Buffer, contentType: string | undefined): unknown {
  if (raw.length === 0) return undefined;
  const text = raw.toString('utf8');
  const declaredJson = contentType !== undefined && /[/+]json\b/i.test(contentType);
  if (declaredJson || contentType === undefined) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      if (declaredJson) throw catapultError(400, 'bad-request', 'invalid-json', 'The request body is not valid JSON');
      return text;
    }
  }
  return text;
}

export function writeResponse(res: ServerResponse, response: SandboxResponse): void {
  const headers: Record<string, string> = { ...(response.headers ?? {}) };
  let payload: Buffer | undefined;
  if (response.body !== undefined && response.body !== null) {
    if (typeof response.body === 'string' || Buffer.isBuffer(response.body)) {
      payload = Buffer.from(response.body);
      if (!hasHeader(headers, 'content-type')) headers['Content-Type'] = 'text/plain; charset=utf-8';
    } else {
      payload = Buffer.from(JSON.stringify(response.body));
      if (!hasHeader(headers, 'content-type')) headers['Content-Type'] = 'application/json; charset=utf-8';
    }
  }
  headers['Content-Length'] = String(payload?.length ?? 0);
  res.writeHead(response.status, headers);
  res.end(payload);
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((key) => key.toLowerCase() === name);
}

export function lowerCaseHeaders(request: IncomingMessage): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}
