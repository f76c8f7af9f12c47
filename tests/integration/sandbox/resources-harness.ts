// Shared by the resources-*.test.ts files: an in-process sandbox on port 0 and a plain-fetch client.
import { createSandbox, type Sandbox, type SandboxOptions } from '../../../sandbox/server';
import { parseJsonOrUndefined } from '../../support/parse-json';

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

export interface SandboxHarness {
  sandbox: Sandbox;
  /** `/v1/users/{userId}` of the sandbox account. */
  userPath: string;
  /** Authenticated request; `path` is relative to the sandbox base URL (e.g. '/v1/...'). */
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Reply>;
  /** Unauthenticated request with raw options. */
  raw(method: string, path: string, init?: { headers?: Record<string, string>; body?: string }): Promise<Reply>;
  /** Creates a resource and returns the id from its Location. */
  create(path: string, body: unknown): Promise<string>;
  close(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<SandboxHarness> {
  const sandbox = await createSandbox({ seed: 'resources-tests', ...options });
  const authorization = basicAuth(sandbox.account.apiToken, sandbox.account.apiSecret);
  const raw: SandboxHarness['raw'] = async (method, path, init = {}) => {
    const response = await fetch(`${sandbox.baseUrl}${path}`, { method, headers: init.headers, body: init.body });
    const text = await response.text();
    const json = parseJsonOrUndefined(text);
    return { status: response.status, headers: response.headers, text, json };
  };
  const request: SandboxHarness['request'] = (method, path, body, headers = {}) =>
    raw(method, path, {
      headers: { authorization, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const create: SandboxHarness['create'] = async (path, body) => {
    const reply = await request('POST', path, body);
    if (reply.status !== 201) throw new Error(`create ${path} → ${reply.status} ${reply.text}`);
    return reply.headers.get('location')!.split('/').pop()!;
  };
  return {
    sandbox,
    userPath: `/v1/users/${sandbox.account.userId}`,
    request,
    raw,
    create,
    close: () => sandbox.close(),
  };
}

export function basicAuth(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

/** Parses an RFC 5988 Link header into rel → URL. */
export function parseLinks(header: string | null): Record<string, string> {
  const links: Record<string, string> = {};
  for (const part of (header ?? '').split(',')) {
    const match = /<([^>]+)>\s*;\s*rel=["']?(\w+)["']?/.exec(part.trim());
    if (match) links[match[2]!] = match[1]!;
  }
  return links;
}

export const CALLBACK = 'http://127.0.0.1:9/callbacks/catapult';
