// GET /api/me: the signed-in user (Authorization: Bearer <token>).
import { app } from '@azure/functions';
import { jsonResponse, NO_STORE, withVoiceApp } from './http';

export const meGet = withVoiceApp(async (request, _context, voiceApp) => {
  const user = await voiceApp.authenticate(request.headers.get('authorization') ?? undefined);
  return jsonResponse(200, await voiceApp.getMe(user), NO_STORE);
});

app.http('me-get', { methods: ['GET'], route: 'me', authLevel: 'anonymous', handler: meGet });
