// GET /api/me/sip: SIP credentials for a softphone. Carries a password, so never cacheable.
import { app } from '@azure/functions';
import { jsonResponse, NO_STORE, requestOrigin, withVoiceApp } from './http';

export const meSipGet = withVoiceApp(async (request, _context, voiceApp) => {
  const user = await voiceApp.authenticate(request.headers.get('authorization') ?? undefined);
  return jsonResponse(200, await voiceApp.getSipCredentials(user, requestOrigin(request)), NO_STORE);
});

app.http('me-sip-get', { methods: ['GET'], route: 'me/sip', authLevel: 'anonymous', handler: meSipGet });
