// POST /api/token {refreshToken}: a new short-lived access token for a session that is still live. The refresh
// token is the session's own secret; an ended or expired session answers 401 and the client logs out.
import { app } from '@azure/functions';
import { jsonResponse, NO_STORE, readJsonObject, requestOrigin, stringField, withVoiceApp } from './http';

export const tokenCreate = withVoiceApp(async (request, _context, voiceApp) => {
  const body = await readJsonObject(request);
  const refreshToken = stringField(body, 'refreshToken') ?? '';
  return jsonResponse(200, await voiceApp.refreshSession({ refreshToken }, requestOrigin(request)), NO_STORE);
});

app.http('token-create', { methods: ['POST'], route: 'token', authLevel: 'anonymous', handler: tokenCreate });
