// GET /api/me/voicemail/greeting: the user's own greeting (to listen to it in the dialpad); 404
// `greeting-not-found` while callers hear the default one.
import { app } from '@azure/functions';
import { audioResponse, authorization, withVoiceApp } from './http';

export const meVoicemailGreetingGet = withVoiceApp(async (request, _context, voiceApp) => {
  const user = await voiceApp.authenticate(authorization(request));
  return audioResponse(await voiceApp.getGreeting(user));
});

app.http('me-voicemail-greeting-get', {
  methods: ['GET'],
  route: 'me/voicemail/greeting',
  authLevel: 'anonymous',
  handler: meVoicemailGreetingGet,
});
