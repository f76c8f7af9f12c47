// POST /api/me/sip/password: a new SIP password, set at the provider at once (the old one stops registering).
// An account with a passkey needs a fresh step-up first (403 `step-up-required`). Answers the new credentials.
import { app } from '@azure/functions';
import { authorization, jsonResponse, NO_STORE, requestOrigin, withVoiceApp } from './http';

export const meSipPasswordCreate = withVoiceApp(async (request, _context, voiceApp) => {
  const user = await voiceApp.authenticate(authorization(request));
  return jsonResponse(200, await voiceApp.rotateSipPassword(user, requestOrigin(request)), NO_STORE);
});

app.http('me-sip-password-create', {
  methods: ['POST'],
  route: 'me/sip/password',
  authLevel: 'anonymous',
  handler: meSipPasswordCreate,
});
