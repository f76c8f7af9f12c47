// POST /api/me/step-up/options: a challenge to confirm, with a passkey of the account, that its owner is here.
import { app } from '@azure/functions';
import { authorization, jsonResponse, NO_STORE, withVoiceApp } from './http';

export const meStepUpOptionsCreate = withVoiceApp(async (request, _context, voiceApp) => {
  const user = await voiceApp.authenticate(authorization(request));
  return jsonResponse(200, await voiceApp.stepUpOptions(user), NO_STORE);
});

app.http('me-step-up-options-create', {
  methods: ['POST'],
  route: 'me/step-up/options',
  authLevel: 'anonymous',
  handler: meStepUpOptionsCreate,
});
