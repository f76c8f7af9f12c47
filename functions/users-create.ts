// POST /api/users {username, number, signature, signupCode?}: sign up with a number from a search result
// (its signature proves the app offered it; signupCode when the operator requires an invitation).
// 201 when this call created the user; 200 when the same sign-up was already done (a refresh or
// retry), in which case nothing new was ordered. Both answer a session.
import { app } from '@azure/functions';
import { AppError } from '../core/errors';
import { jsonResponse, NO_STORE, readJsonObject, requestOrigin, stringField, withVoiceApp } from './http';

export const usersCreate = withVoiceApp(async (request, _context, voiceApp) => {
  const body = await readJsonObject(request);
  const username = stringField(body, 'username');
  if (username === undefined) throw new AppError('invalid-username', 'A username is required.', 'username');
  const number = stringField(body, 'number');
  if (number === undefined)
    throw new AppError('invalid-number', 'A number from the search results is required.', 'number');
  const signature = stringField(body, 'signature');
  const signupCode = stringField(body, 'signupCode');
  const { created, session } = await voiceApp.signUp(
    { username, number, signature, signupCode },
    requestOrigin(request),
  );
  return jsonResponse(created ? 201 : 200, session, NO_STORE);
});

app.http('users-create', { methods: ['POST'], route: 'users', authLevel: 'anonymous', handler: usersCreate });
