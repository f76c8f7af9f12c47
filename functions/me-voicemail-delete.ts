// DELETE /api/me/voicemails/{voicemailId}: deletes a message and its recording. 204; 404 `voicemail-not-found`.
import { app } from '@azure/functions';
import { authorization, NO_STORE, withVoiceApp } from './http';

export const meVoicemailDelete = withVoiceApp(async (request, _context, voiceApp) => {
  const user = await voiceApp.authenticate(authorization(request));
  await voiceApp.deleteVoicemail(user, request.params.voicemailId ?? '');
  return { status: 204, headers: { ...NO_STORE } };
});

app.http('me-voicemail-delete', {
  methods: ['DELETE'],
  route: 'me/voicemails/{voicemailId}',
  authLevel: 'anonymous',
  handler: meVoicemailDelete,
});
