// POST /api/me/step-up {response}: the passkey's answer to the step-up challenge. For a few minutes after, this
// session may do what needs a fresh confirmation (remove a passkey, see the SIP password).
import { app } from '@azure/functions';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { authorization, jsonResponse, NO_STORE, readJsonObject, requestOrigin, withVoiceApp } from './http';

export const meStepUpCreate = withVoiceApp(async (request, _context, voiceApp) => {
  const user = await voiceApp.authenticate(authorization(request));
  const body = await readJsonObject(request);
  // The response's shape is checked in the core, before anything is read or parsed.
  const response = body.response as AuthenticationResponseJSON;
  return jsonResponse(200, await voiceApp.stepUp(user, { response }, requestOrigin(request)), NO_STORE);
});

app.http('me-step-up-create', {
  methods: ['POST'],
  route: 'me/step-up',
  authLevel: 'anonymous',
  handler: meStepUpCreate,
});
