// POST /api/bandwidth/callbacks[/{kind}]: Bandwidth's Voice API callbacks (the application's
// CallInitiatedCallbackUrl and CallStatusCallbackUrl, and the URLs the app's BXML names). Bandwidth sends the
// application's CallbackCreds as Basic auth; the core checks them before acting and throws `webhook-unauthorized`
// (401). The last path segment (initiate, status, ringing, transfer) only names what the URL was given for: the
// core reads the event from the body. The answer is BXML (`application/xml`) or an empty 200.
import { app } from '@azure/functions';
import { readIncomingWebhook, webhookResponse, withVoiceApp } from './http';

export const bandwidthCallbacksReceive = withVoiceApp(async (request, _context, voiceApp) =>
  webhookResponse(await voiceApp.handleWebhook(await readIncomingWebhook(request, 'bandwidth'))),
);

app.http('bandwidth-callbacks-receive', {
  methods: ['POST'],
  route: 'bandwidth/callbacks/{kind:alpha?}',
  authLevel: 'anonymous',
  handler: bandwidthCallbacksReceive,
});
