// DELETE /api/me/sessions: "log out everywhere": ends every session of the account, this one included.
import { app } from '@azure/functions';
import { authorization, jsonResponse, NO_STORE, requestOrigin, withVoiceApp } from './http';

export const meSessionsDelete = withVoiceApp(async (request, _context, voiceApp) => {
  const user = await voiceApp.authenticate(authorization(request), { forPasskeySetup: true });
  return jsonResponse(200, await voiceApp.endAllSessions(user, requestOrigin(request)), NO_STORE);
});

app.http('me-sessions-delete', {
  methods: ['DELETE'],
  route: 'me/sessions',
  authLevel: 'anonymous',
  handler: meSessionsDelete,
});
