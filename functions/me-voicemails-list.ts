// GET /api/me/voicemails: the signed-in user's voicemail, newest first, with the unread count.
import { app } from '@azure/functions';
import { authorization, jsonResponse, NO_STORE, withVoiceApp } from './http';

export const meVoicemailsList = withVoiceApp(async (request, _context, voiceApp) => {
  const user = await voiceApp.authenticate(authorization(request));
  return jsonResponse(200, await voiceApp.listVoicemails(user), NO_STORE);
});

app.http('me-voicemails-list', {
  methods: ['GET'],
  route: 'me/voicemails',
  authLevel: 'anonymous',
  handler: meVoicemailsList,
});
