// GET /api/me/dial-check?number=<as dialled>: would the app put this call through? The dialpad asks before it
// places a call, so a refused dial says why (premium-rate, another country, not a number, your own number).
import { app } from '@azure/functions';
import { jsonResponse, NO_STORE, withVoiceApp } from './http';

export const meDialCheckGet = withVoiceApp(async (request, _context, voiceApp) => {
  const user = await voiceApp.authenticate(request.headers.get('authorization') ?? undefined);
  return jsonResponse(200, await voiceApp.checkDial(user, request.query.get('number') ?? undefined), NO_STORE);
});

app.http('me-dial-check-get', {
  methods: ['GET'],
  route: 'me/dial-check',
  authLevel: 'anonymous',
  handler: meDialCheckGet,
});
