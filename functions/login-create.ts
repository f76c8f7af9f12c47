// POST /api/login {username}: log in by username only. An unknown username is 404 `user-not-found` (the client
// sends the person to sign-up); an account with a passkey is 403 `passkey-required` (the client then uses
// POST /api/login/passkey). Nothing is ever created here.
import { app } from '@azure/functions';
import { AppError } from '../core/errors';
import { jsonResponse, NO_STORE, readJsonObject, requestOrigin, stringField, withVoiceApp } from './http';

export const loginCreate = withVoiceApp(async (request, _context, voiceApp) => {
  const body = await readJsonObject(request);
  const username = stringField(body, 'username');
  if (username === undefined) throw new AppError('invalid-username', 'A username is required.', 'username');
  const session = await voiceApp.logIn({ username }, requestOrigin(request));
  return jsonResponse(200, session, NO_STORE);
});

app.http('login-create', { methods: ['POST'], route: 'login', authLevel: 'anonymous', handler: loginCreate });
