// POST /api/me/notifications/negotiate: where the signed-in user's dialpad listens for its incoming calls (a
// WebSocket URL carrying its own short-lived access token). Bandwidth only; `not-found` on Catapult.
import { app } from '@azure/functions';
import { jsonResponse, NO_STORE, withVoiceApp } from './http';

export const meNotificationsNegotiate = withVoiceApp(async (request, _context, voiceApp) => {
  const user = await voiceApp.authenticate(request.headers.get('authorization') ?? undefined);
  return jsonResponse(200, await voiceApp.negotiateNotifications(user), NO_STORE);
});

app.http('me-notifications-negotiate', {
  methods: ['POST'],
  route: 'me/notifications/negotiate',
  authLevel: 'anonymous',
  handler: meNotificationsNegotiate,
});
