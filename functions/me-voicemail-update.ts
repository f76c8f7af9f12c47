// PATCH /api/me/voicemails/{voicemailId} {"read": true|false}: marks a message read or unread; answers it.
import { app } from '@azure/functions';
import { authorization, jsonResponse, NO_STORE, readJsonObject, withVoiceApp } from './http';

export const meVoicemailUpdate = withVoiceApp(async (request, _context, voiceApp) => {
  const user = await voiceApp.authenticate(authorization(request));
  const body = await readJsonObject(request);
  return jsonResponse(200, await voiceApp.updateVoicemail(user, request.params.voicemailId ?? '', body), NO_STORE);
});

app.http('me-voicemail-update', {
  methods: ['PATCH'],
  route: 'me/voicemails/{voicemailId}',
  authLevel: 'anonymous',
  handler: meVoicemailUpdate,
});
