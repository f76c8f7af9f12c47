// POST /api/login/passkey {username?, response}: log in with a passkey (the browser's answer to the options'
// challenge). 200 with a session, or 400 `passkey-invalid` / `passkey-challenge-invalid`.
import { app } from '@azure/functions';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { jsonResponse, NO_STORE, readJsonObject, requestOrigin, stringField, withVoiceApp } from './http';

export const loginPasskeyCreate = withVoiceApp(async (request, _context, voiceApp) => {
  const body = await readJsonObject(request);
  // The response's shape is checked in the core, before anything is read or parsed.
  const response = body.response as AuthenticationResponseJSON;
  const session = await voiceApp.logInWithPasskey(
    { username: stringField(body, 'username'), response },
    requestOrigin(request),
  );
  return jsonResponse(200, session, NO_STORE);
});

app.http('login-passkey-create', {
  methods: ['POST'],
  route: 'login/passkey',
  authLevel: 'anonymous',
  handler: loginPasskeyCreate,
});
