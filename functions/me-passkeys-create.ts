// POST /api/me/passkeys {response}: registers the passkey the browser made. The account's first passkey ends
// every other session that never used one. 201 with the passkey.
import { app } from '@azure/functions';
import type { RegistrationResponseJSON } from '@simplewebauthn/server';
import { authorization, jsonResponse, NO_STORE, readJsonObject, requestOrigin, withVoiceApp } from './http';

export const mePasskeysCreate = withVoiceApp(async (request, _context, voiceApp) => {
  const user = await voiceApp.authenticate(authorization(request), { forPasskeySetup: true });
  const body = await readJsonObject(request);
  // The response's shape is checked in the core, before anything is read or parsed.
  const response = body.response as RegistrationResponseJSON;
  return jsonResponse(201, await voiceApp.registerPasskey(user, { response }, requestOrigin(request)), NO_STORE);
});

app.http('me-passkeys-create', {
  methods: ['POST'],
  route: 'me/passkeys',
  authLevel: 'anonymous',
  handler: mePasskeysCreate,
});
