// The only place that turns core results and errors into HTTP: response helpers, the one error
// mapper, JSON body parsing with a size limit, and the wrapper every handler goes through.
// Handlers stay thin: parse, validate shape, call one VoiceApp method, answer.
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { ApiErrorBody, ProviderName } from '../core/api-types';
import type { StoredAudio } from '../core/voicemail/audio-blobs';
import { AppError, isAppError } from '../core/errors';
import { clientAddress } from '../core/limits/client-address';
import type { IncomingWebhook, RequestOrigin, VoiceApp, WebhookReply } from '../core/voice-app';
import { getVoiceApp, runWithInvocation } from './index';

/** Sign-up and log-in bodies are a few dozen bytes; provider callbacks well under 4 KiB. */
export const MAX_JSON_BODY_BYTES = 16 * 1024;

/** Answers that carry a user's data or secrets must never sit in a browser or proxy cache. */
export const NO_STORE = { 'Cache-Control': 'no-store' } as const;

export function jsonResponse(status: number, body: unknown, headers?: Record<string, string>): HttpResponseInit {
  return { status, jsonBody: body, headers: { ...headers } };
}

/** The one error mapper: AppError → its status and code; anything else → 500 without details. */
export function errorResponse(error: unknown, context: InvocationContext): HttpResponseInit {
  if (isAppError(error)) {
    const body: ApiErrorBody = { error: { code: error.code, message: error.message } };
    if (error.field !== undefined) body.error.field = error.field;
    if (error.retryAfterSeconds !== undefined) body.error.retryAfterSeconds = error.retryAfterSeconds;
    // 5xx from the core are dependency faults worth a warning; 4xx are the client's business.
    if (error.status >= 500) context.warn(`request failed: ${error.code}`);
    const headers: Record<string, string> = { ...NO_STORE };
    if (error.retryAfterSeconds !== undefined) {
      headers['Retry-After'] = String(error.retryAfterSeconds);
      // The dialpad is another origin: without this a browser hides Retry-After (the body carries it too).
      headers['Access-Control-Expose-Headers'] = 'Retry-After';
    }
    return jsonResponse(error.status, body, headers);
  }
  // The stack goes to the log, never to the client: it can name internals and settings.
  context.error('unhandled error', error instanceof Error ? (error.stack ?? error.message) : String(error));
  const body: ApiErrorBody = { error: { code: 'internal-error', message: 'Something went wrong. Please try again.' } };
  return jsonResponse(500, body, NO_STORE);
}

/**
 * Reads the body as one JSON object. A body not declared `Content-Type: application/json` is 415
 * `unsupported-media-type`: only such a request makes a browser ask the API first (a CORS preflight), so a
 * page on another website cannot post a form or a text/plain "simple request" here on its visitor's behalf.
 * Empty, oversized, non-JSON or non-object bodies are 400 `invalid-json`: the core only ever sees a plain
 * object to validate field by field.
 */
export async function readJsonObject(request: HttpRequest): Promise<Record<string, unknown>> {
  const mediaType = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (mediaType !== 'application/json') {
    throw new AppError('unsupported-media-type', 'Send the request body as JSON (Content-Type: application/json).');
  }
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > MAX_JSON_BODY_BYTES) throw tooLarge();
  const bytes = Buffer.from(await request.arrayBuffer());
  if (bytes.byteLength > MAX_JSON_BODY_BYTES) throw tooLarge();
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new AppError('invalid-json', 'The request body must be a JSON object.');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new AppError('invalid-json', 'The request body must be a JSON object.');
  }
  return value as Record<string, unknown>;
}

function tooLarge(): AppError {
  return new AppError('invalid-json', `The request body must be at most ${MAX_JSON_BODY_BYTES} bytes.`);
}

/** The Authorization header, for VoiceApp.authenticate. */
export function authorization(request: HttpRequest): string | undefined {
  return request.headers.get('authorization') ?? undefined;
}

/**
 * Who sent the request, for the per-address limits, sessions and the audit trail: the entry Azure's front end
 * appended to X-Forwarded-For (the right-most one), never one the client wrote itself
 * (core/limits/client-address.ts), and the User-Agent.
 */
export function requestOrigin(request: HttpRequest): RequestOrigin {
  const userAgent = request.headers.get('user-agent') ?? undefined;
  return {
    clientAddress: clientAddress(request.headers.get('x-forwarded-for')),
    ...(userAgent ? { userAgent } : {}),
  };
}

/** A string field of a parsed body, or undefined: the core decides what a valid value is. */
export function stringField(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Stands for a POST body that is not a JSON object. The core checks a callback's credentials before it looks
 * at the body, so an unauthenticated sender gets 401 whatever it sends, and an authenticated one 400.
 */
const NOT_A_JSON_OBJECT = 'not a JSON object';

/** A provider callback as the core reads it (every provider's webhook function hands it over unparsed). */
export async function readIncomingWebhook(request: HttpRequest, route: ProviderName): Promise<IncomingWebhook> {
  const authorization = request.headers.get('authorization') ?? undefined;
  const query = Object.fromEntries(request.query.entries());
  const body =
    request.method === 'GET'
      ? undefined
      : await readJsonObject(request).catch((error: unknown) => {
          if (isAppError(error)) return NOT_A_JSON_OBJECT;
          throw error;
        });
  return { route, authorization, query, body };
}

/** A provider callback's answer: 200, with the document the provider executes when there is one (BXML). */
export function webhookResponse(reply: WebhookReply): HttpResponseInit {
  if (reply.body === undefined) return { status: 200 };
  return { status: 200, body: reply.body, headers: { 'Content-Type': reply.contentType ?? 'application/xml' } };
}

export type AppHandler = (
  request: HttpRequest,
  context: InvocationContext,
  voiceApp: VoiceApp,
) => Promise<HttpResponseInit>;

/** What Azure Functions calls; tests pass a fake VoiceApp as the third argument. */
export type HttpFunctionHandler = (
  request: HttpRequest,
  context: InvocationContext,
  voiceApp?: VoiceApp,
) => Promise<HttpResponseInit>;

/**
 * Wraps a handler: resolves the VoiceApp (built once by the composition root), makes the
 * invocation's context the core's log sink, and maps every thrown error in one place.
 */
export function withVoiceApp(handler: AppHandler): HttpFunctionHandler {
  return async (request, context, voiceApp) =>
    runWithInvocation(context, async () => {
      try {
        return await handler(request, context, voiceApp ?? getVoiceApp());
      } catch (error) {
        return errorResponse(error, context);
      }
    });
}

/** A stored recording or greeting: streamed, never cached, never rendered as a page of the API's origin. */
export function audioResponse(audio: StoredAudio): HttpResponseInit {
  return {
    status: 200,
    body: audio.stream,
    headers: {
      ...NO_STORE,
      'Content-Type': audio.contentType,
      'Content-Length': String(audio.sizeBytes),
      'Content-Disposition': 'attachment',
      'X-Content-Type-Options': 'nosniff',
    },
  };
}
