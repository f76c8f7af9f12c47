// The Voice API v2 (JSON, `${voiceUrl}/api/v2/accounts/{accountId}/calls…`): create a call (minimal), read one,
// modify a live one (hang up, or redirect to new BXML), replace its BXML. Limits: calls per second and concurrent
// calls per account (settings), 429 over them (docs/contracts/bandwidth-v2.md §7, §8).
import type { BandwidthSettings } from '../bandwidth-options';
import { voiceError, voiceRateLimit } from '../http/bw-errors';
import type { BwRequest, BwRouter } from '../http/bw-router';
import { isOver, type BwCall } from './bw-call';
import { InvalidBxml, parseBxml, type Callback } from './bxml';
import type { CallEngine } from './call-engine';
import { placeApiCall, textOf } from './outbound-call';

export function mountVoiceRoutes(router: BwRouter, engine: CallEngine, settings: BandwidthSettings): void {
  const base = '/api/v2/accounts/:accountId/calls';
  const recent: number[] = [];
  router.add('POST', base, 'voice', (request) => {
    const body = json(request);
    const now = Date.now();
    while (recent.length > 0 && recent[0]! <= now - 1000) recent.shift();
    // The two messages of the Voice API's rate-limit page (docs/contracts/bandwidth-v2.md §8.4).
    if (recent.length >= settings.callsPerSecond) throw voiceRateLimit('Account call creation rate limit exceeded');
    if (engine.active().length >= settings.maxConcurrentCalls)
      throw voiceRateLimit('Account concurrent call limit exceeded');
    recent.push(now);
    const call = placeApiCall(engine, body);
    return { status: 201, headers: { Location: callUrl(engine, call) }, body: createCallResponse(engine, call, body) };
  });
  router.add('GET', `${base}/:callId`, 'voice', (request) => ({
    status: 200,
    body: callState(engine, find(engine, request, false)),
  }));
  router.add('POST', `${base}/:callId`, 'voice', (request) => {
    const call = find(engine, request, true);
    const body = json(request);
    const state = body.state ?? 'active';
    if (state !== 'active' && state !== 'completed')
      throw voiceError(400, 'validation', "state must be 'active' or 'completed'");
    const redirectUrl = body.redirectUrl;
    if (state === 'completed') {
      if (redirectUrl !== undefined && redirectUrl !== null)
        throw voiceError(400, 'validation', 'redirectUrl is not allowed with state completed');
      const unanswered = call.answerTime === undefined;
      engine.hangup(call, unanswered ? (call.direction === 'inbound' ? 'rejected' : 'cancel') : 'hangup');
      return { status: 200 };
    }
    if (typeof redirectUrl !== 'string' || !/^https?:\/\/.+/.test(redirectUrl)) {
      throw voiceError(400, 'validation', 'redirectUrl (an absolute http(s) URL) is required when state is active');
    }
    const method = textOf(body.redirectMethod, 'POST').toUpperCase();
    if (method !== 'GET' && method !== 'POST')
      throw voiceError(400, 'validation', 'redirectMethod must be GET or POST');
    const target: Callback = {
      url: redirectUrl,
      method,
      ...(typeof body.username === 'string' ? { username: body.username } : {}),
      ...(typeof body.password === 'string' ? { password: body.password } : {}),
      ...(typeof body.redirectFallbackUrl === 'string' ? { fallbackUrl: body.redirectFallbackUrl } : {}),
    };
    if (typeof body.tag === 'string') call.tag = body.tag;
    engine.interrupt(call);
    engine.endBridge(call);
    void engine.startWith(call, 'redirect', target);
    return { status: 200 };
  });
  router.add('PUT', `${base}/:callId/bxml`, 'voice', (request) => {
    const call = find(engine, request, true);
    if (!/xml/i.test(request.headers['content-type'] ?? ''))
      throw voiceError(415, 'unsupported-media-type', 'The body must be application/xml');
    try {
      parseBxml(request.body, 'Bxml');
    } catch (error) {
      if (error instanceof InvalidBxml) throw voiceError(400, 'validation', `Invalid BXML: ${error.message}`);
      throw error;
    }
    engine.interrupt(call);
    engine.endBridge(call);
    void engine.runBxml(call, request.body, 'Bxml');
    return { status: 204 };
  });
}

function json(request: BwRequest): Record<string, unknown> {
  if (request.body.trim() === '') return {};
  try {
    const parsed = JSON.parse(request.body) as unknown;
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw voiceError(400, 'validation', 'The body must be a JSON object');
}

function find(engine: CallEngine, request: BwRequest, live: boolean): BwCall {
  const call = engine.calls.get(request.params.callId!);
  if (!call || (live && isOver(call))) {
    throw voiceError(
      404,
      'not-found',
      `Call ${request.params.callId} ${call ? 'is no longer active' : 'was not found'}`,
    );
  }
  return call;
}

function callUrl(engine: CallEngine, call: BwCall): string {
  return `${engine.options.voiceUrl}/api/v2/accounts/${engine.options.accountId}/calls/${call.id}`;
}

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

/** GET /calls/{callId}: the `callState` schema. */
export function callState(engine: CallEngine, call: BwCall): Record<string, unknown> {
  return {
    applicationId: call.app.applicationId,
    accountId: engine.options.accountId,
    callId: call.id,
    parentCallId: call.parentCallId ?? null,
    to: call.to,
    from: call.from,
    direction: call.direction,
    state: call.state,
    enqueuedTime: null,
    startTime: iso(call.startTime),
    answerTime: iso(call.answerTime),
    endTime: iso(call.endTime),
    disconnectCause: call.cause ?? null,
    errorMessage: call.errorMessage ?? null,
    errorId: null,
    lastUpdate: iso(call.endTime ?? call.answerTime ?? call.startTime),
  };
}

function createCallResponse(engine: CallEngine, call: BwCall, body: Record<string, unknown>): Record<string, unknown> {
  return {
    applicationId: call.app.applicationId,
    accountId: engine.options.accountId,
    callId: call.id,
    to: call.to,
    from: call.from,
    enqueuedTime: null,
    callUrl: callUrl(engine, call),
    callTimeout: typeof body.callTimeout === 'number' ? body.callTimeout : 30,
    callbackTimeout: 15,
    tag: call.tag ?? null,
    answerMethod: textOf(body.answerMethod, 'POST').toUpperCase(),
    answerUrl: body.answerUrl,
    disconnectMethod: textOf(body.disconnectMethod, 'POST').toUpperCase(),
    ...(typeof body.disconnectUrl === 'string' ? { disconnectUrl: body.disconnectUrl } : {}),
    priority: 5,
  };
}
