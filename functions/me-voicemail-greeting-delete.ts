// DELETE /api/me/voicemail/greeting: back to the default spoken greeting. 204; 404 `greeting-not-found` when the
// user had none.
import { app } from '@azure/functions';
import { authorization, withVoiceApp } from './http';

export const meVoicemailGreetingDelete = withVoiceApp(async (request, _context, voiceApp) => {
  const user = await voiceApp.authenticate(authorization(request));
  await voiceApp.deleteGreeting(user);
  return { status: 204 };
});

app.http('me-voicemail-greeting-delete', {
  methods: ['DELETE'],
  route: 'me/voicemail/greeting',
  authLevel: 'anonymous',
  handler: meVoicemailGreetingDelete,
});
