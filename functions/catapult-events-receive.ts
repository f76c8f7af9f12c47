// POST|GET /api/catapult/events: Catapult call events (the application's incomingCallUrl and every
// transfer's callbackUrl). Catapult sends the callback URL's userinfo as Basic auth; the core checks
// it before acting and throws `webhook-unauthorized` (401). Applications may use callbackHttpMethod
// GET, in which case the event fields arrive as query parameters and there is no body.
import { app } from '@azure/functions';
import { readIncomingWebhook, webhookResponse, withVoiceApp } from './http';

export const catapultEventsReceive = withVoiceApp(async (request, _context, voiceApp) =>
  webhookResponse(await voiceApp.handleWebhook(await readIncomingWebhook(request, 'catapult'))),
);

app.http('catapult-events-receive', {
  methods: ['POST', 'GET'],
  route: 'catapult/events',
  authLevel: 'anonymous',
  handler: catapultEventsReceive,
});
