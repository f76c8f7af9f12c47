// POST /api/me/passkeys/options: a challenge to register a passkey on this account. Adding a second passkey
// needs a fresh step-up (403 `step-up-required`); the first one does not.
import { app } from '@azure/functions';
import { authorization, jsonResponse, NO_STORE, withVoiceApp } from './http';

export const mePasskeysOptionsCreate = withVoiceApp(async (request, _context, voiceApp) => {
  const user = await voiceApp.authenticate(authorization(request), { forPasskeySetup: true });
  return jsonResponse(200, await voiceApp.passkeyRegistrationOptions(user), NO_STORE);
});

app.http('me-passkeys-options-create', {
  methods: ['POST'],
  route: 'me/passkeys/options',
  authLevel: 'anonymous',
  handler: mePasskeysOptionsCreate,
});
