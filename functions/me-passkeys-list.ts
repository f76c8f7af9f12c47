// GET /api/me/passkeys: the account's passkeys, whether passkeys are on here and required, and until when this
// session's last passkey use counts as fresh.
import { app } from '@azure/functions';
import { authorization, jsonResponse, NO_STORE, withVoiceApp } from './http';

export const mePasskeysList = withVoiceApp(async (request, _context, voiceApp) => {
  const user = await voiceApp.authenticate(authorization(request), { forPasskeySetup: true });
  return jsonResponse(200, await voiceApp.listPasskeys(user), NO_STORE);
});

app.http('me-passkeys-list', {
  methods: ['GET'],
  route: 'me/passkeys',
  authLevel: 'anonymous',
  handler: mePasskeysList,
});
