// GET /api/voicemail/greetings/{username}?expires=…&sig=…: a user's greeting for the PROVIDER, which fetches it
// without credentials while playing their voicemail (Bandwidth's <PlayAudio>, Catapult's fileUrl). Only through
// a link the app signed for that user, valid ten minutes (core/voicemail/greetings.ts); anything else is 404.
import { app } from '@azure/functions';
import { audioResponse, withVoiceApp } from './http';

export const voicemailGreetingGet = withVoiceApp(async (request, _context, voiceApp) => {
  const { query, params } = request;
  const audio = await voiceApp.openGreetingLink(
    params.username ?? '',
    query.get('expires') ?? undefined,
    query.get('sig') ?? undefined,
  );
  return audioResponse(audio);
});

app.http('voicemail-greeting-get', {
  methods: ['GET'],
  route: 'voicemail/greetings/{username}',
  authLevel: 'anonymous',
  handler: voicemailGreetingGet,
});
