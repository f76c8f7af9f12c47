// POST /api/login/passkey/options {username?}: a passkey log-in challenge. With a username, the browser is told
// which passkeys that account has; without one, it offers the passkeys it holds for this site.
import { app } from '@azure/functions';
import { jsonResponse, NO_STORE, readJsonObject, stringField, withVoiceApp } from './http';

export const loginPasskeyOptionsCreate = withVoiceApp(async (request, _context, voiceApp) => {
  const body = await readJsonObject(request);
  return jsonResponse(200, await voiceApp.passkeyLoginOptions({ username: stringField(body, 'username') }), NO_STORE);
});

app.http('login-passkey-options-create', {
  methods: ['POST'],
  route: 'login/passkey/options',
  authLevel: 'anonymous',
  handler: loginPasskeyOptionsCreate,
});
