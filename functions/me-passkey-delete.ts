// DELETE /api/me/passkeys/{passkeyId}: removes a passkey; needs a fresh step-up (403 `step-up-required`).
import { app } from '@azure/functions';
import { authorization, requestOrigin, withVoiceApp } from './http';

export const mePasskeyDelete = withVoiceApp(async (request, _context, voiceApp) => {
  const user = await voiceApp.authenticate(authorization(request));
  await voiceApp.removePasskey(user, request.params.passkeyId ?? '', requestOrigin(request));
  return { status: 204 };
});

app.http('me-passkey-delete', {
  methods: ['DELETE'],
  route: 'me/passkeys/{passkeyId}',
  authLevel: 'anonymous',
  handler: mePasskeyDelete,
});
