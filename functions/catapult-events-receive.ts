// POST|GET /api/catapult/events: Catapult call events (the application's incomingCallUrl and every
// transfer's callbackUrl). Catapult sends the callback URL's userinfo as Basic auth; the core checks
// it before acting and throws `webhook-unauthorized` (401). Applications may use callbackHttpMethod
// GET, in which case the event fields arrive as query parameters and there is no body.
import { app, type HttpRequest } from '@azure/functions';
import { isAppError } from '../core/errors';
import type { IncomingWebhook } from '../core/voice-app';
import { readJsonObject, withVoiceApp } from './http';

/**
 * Stands for a POST body that is not a JSON object. The core checks the credentials before it looks
 * at the body, so an unauthenticated sender gets 401 whatever it sends, and an authenticated one 400.
 */
const NOT_A_JSON_OBJECT = 'not a JSON object';

export const catapultEventsReceive = withVoiceApp(async (request, _context, voiceApp) => {
  await voiceApp.handleWebhook(await toIncomingEvent(request));
  return { status: 200 };
});

async function toIncomingEvent(request: HttpRequest): Promise<IncomingWebhook> {
  const authorization = request.headers.get('authorization') ?? undefined;
  const query = Object.fromEntries(request.query.entries());
  const body =
    request.method === 'GET'
      ? undefined
      : await readJsonObject(request).catch((error: unknown) => {
          if (isAppError(error)) return NOT_A_JSON_OBJECT;
          throw error;
        });
  return { route: 'catapult', authorization, query, body };
}

app.http('catapult-events-receive', {
  methods: ['POST', 'GET'],
  route: 'catapult/events',
  authLevel: 'anonymous',
  handler: catapultEventsReceive,
});
