// Builds HttpRequest/InvocationContext for handler tests and reads the answer back as the
// Functions host would write it (through new HttpResponse), with the log lines the handler wrote.
import { HttpRequest, HttpResponse, InvocationContext, type HttpResponseInit } from '@azure/functions';
import { parseJsonOrUndefined } from './parse-json';

export interface CapturedLog {
  level: string;
  text: string;
}

export interface InvokeOptions {
  method: string;
  path: string; // e.g. /api/users?x=1
  headers?: Record<string, string>;
  body?: string;
  /** Route parameters, as the host would fill them from the route template. */
  params?: Record<string, string>;
}

export interface InvokeResult {
  status: number;
  headers: Headers;
  json: unknown;
  text: string;
  logs: CapturedLog[];
}

type Handler = (request: HttpRequest, context: InvocationContext, voiceApp?: never) => Promise<HttpResponseInit>;

export async function invoke(handler: unknown, voiceApp: unknown, options: InvokeOptions): Promise<InvokeResult> {
  const logs: CapturedLog[] = [];
  // A body is JSON unless the test says otherwise, as every client of the API sends it.
  const headers = { ...(options.body === undefined ? {} : { 'content-type': 'application/json' }), ...options.headers };
  const request = new HttpRequest({
    method: options.method,
    url: `http://127.0.0.1:7071${options.path}`,
    headers,
    ...(options.params ? { params: options.params } : {}),
    ...(options.body === undefined ? {} : { body: { string: options.body } }),
  });
  const context = new InvocationContext({
    functionName: 'test',
    logHandler: (level, ...args) =>
      logs.push({ level, text: args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' ') }),
  });
  const init = await (handler as Handler)(request, context, voiceApp as never);
  const response = new HttpResponse(init);
  const text = await response.text();
  const json = parseJsonOrUndefined(text);
  return { status: response.status, headers: response.headers, json, text, logs };
}
