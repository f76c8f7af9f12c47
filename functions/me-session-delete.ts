// DELETE /api/me/sessions/{sessionId}: ends one session of the account ("current" = this one: log-out). Its
// access and refresh tokens answer 401 from then on. 204, or 404 `session-not-found`.
import { app } from '@azure/functions';
import { authorization, requestOrigin, withVoiceApp } from './http';

export const meSessionDelete = withVoiceApp(async (request, _context, voiceApp) => {
  const user = await voiceApp.authenticate(authorization(request), { forPasskeySetup: true });
  await voiceApp.endSession(user, request.params.sessionId ?? '', requestOrigin(request));
  return { status: 204 };
});

app.http('me-session-delete', {
  methods: ['DELETE'],
  route: 'me/sessions/{sessionId}',
  authLevel: 'anonymous',
  handler: meSessionDelete,
});
