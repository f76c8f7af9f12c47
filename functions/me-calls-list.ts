// GET /api/me/calls: the signed-in user's call history, newest first.
import { app } from '@azure/functions';
import { jsonResponse, NO_STORE, withVoiceApp } from './http';

export const meCallsList = withVoiceApp(async (request, _context, voiceApp) => {
  const user = await voiceApp.authenticate(request.headers.get('authorization') ?? undefined);
  return jsonResponse(200, await voiceApp.listCalls(user), NO_STORE);
});

app.http('me-calls-list', { methods: ['GET'], route: 'me/calls', authLevel: 'anonymous', handler: meCallsList });
