// GET /api/me/sessions: the account's live log-in sessions (device, address, times), the asking one marked.
import { app } from '@azure/functions';
import { authorization, jsonResponse, NO_STORE, withVoiceApp } from './http';

export const meSessionsList = withVoiceApp(async (request, _context, voiceApp) => {
  const user = await voiceApp.authenticate(authorization(request), { forPasskeySetup: true });
  return jsonResponse(200, await voiceApp.listSessions(user), NO_STORE);
});

app.http('me-sessions-list', {
  methods: ['GET'],
  route: 'me/sessions',
  authLevel: 'anonymous',
  handler: meSessionsList,
});
