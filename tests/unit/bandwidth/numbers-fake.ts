// Unit-test support for the Bandwidth Numbers API client: an injected fetch that records every request and answers
// from a script (XML bodies), the official client's own XML builder (@bandwidth/numbers) as the oracle for request
// bodies, its wire fixtures (test/xml.json) as realistic answers, and fast-xml-parser as an independent reader.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { XMLParser } from 'fast-xml-parser';

export interface SentRequest {
  method: string;
  url: URL;
  /** Below /api/accounts/{account}, e.g. "/orders/abc". */
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export type Answer = (request: SentRequest) => Response | Promise<Response>;

export const API_URL = 'https://api.bandwidth.test';
export const ACCOUNT = '9900000';

export function fakeNumbersFetch(answer: Answer): { fetch: typeof fetch; sent: SentRequest[] } {
  const sent: SentRequest[] = [];
  const fakeFetch = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : input);
    const prefix = `/api/accounts/${ACCOUNT}`;
    const request: SentRequest = {
      method: init.method ?? 'GET',
      url,
      path: url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : url.pathname,
      headers: Object.fromEntries(new Headers(init.headers).entries()),
      ...(typeof init.body === 'string' ? { body: init.body } : {}),
    };
    sent.push(request);
    assert.equal(init.redirect, 'error', 'a Bearer token must never follow a redirect');
    const signal = init.signal ?? undefined;
    const answered = Promise.resolve(answer(request));
    if (!signal) return answered;
    return Promise.race([
      answered,
      new Promise<never>((_, reject) =>
        signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true }),
      ),
    ]);
  };
  return { fetch: fakeFetch, sent };
}

export function xml(status: number, body = '', headers: Record<string, string> = {}): Response {
  return new Response(body === '' ? null : body, {
    status,
    headers: { ...(body === '' ? {} : { 'content-type': 'application/xml' }), ...headers },
  });
}

const load = createRequire(__filename);
/** @bandwidth/numbers' wire fixtures (real API answers). */
export const FIXTURES = load('@bandwidth/numbers/test/xml.json') as Record<string, string>;
const OfficialClient = load('@bandwidth/numbers/lib/client');

/**
 * The XML the official client sends for `data` (as its create functions wrap it, e.g. `{order: {...}}`): element
 * names from its camelCase keys (first letter upper-cased, `_<key>XmlElement` overrides), in key order.
 */
export function officialXml(data: Record<string, unknown>): string {
  return String(new OfficialClient('acct', 'user', 'password').buildXml(data));
}

const reader = new XMLParser({ preserveOrder: true, ignoreAttributes: true, parseTagValue: false, trimValues: true });

/** Element names and texts in document order, read by an independent parser (fast-xml-parser). */
export function elementTree(document: string): unknown {
  return strip(reader.parse(document));
}

function strip(nodes: unknown): unknown {
  if (!Array.isArray(nodes)) return nodes;
  return nodes
    .filter((node: Record<string, unknown>) => !Object.keys(node).some((k) => k === '?xml'))
    .map((node: Record<string, unknown>) => {
      const [name] = Object.keys(node).filter((k) => k !== ':@');
      const value = node[name!];
      return name === '#text' ? String(value) : { [name!]: strip(value) };
    });
}

/** The app's request body has exactly the element structure (names, order, texts) the official client builds. */
export function assertSameXml(actual: string | undefined, official: Record<string, unknown>): void {
  assert.ok(actual, 'a request body');
  assert.deepEqual(elementTree(actual), elementTree(officialXml(official)));
}
