// GET /api/me/voicemails/{voicemailId}/audio: the message's recording, streamed from the private container
// to its owner only (Bearer session); 404 `voicemail-not-found` for anyone else's or a deleted one.
import { app } from '@azure/functions';
import { audioResponse, authorization, withVoiceApp } from './http';

export const meVoicemailAudioGet = withVoiceApp(async (request, _context, voiceApp) => {
  const user = await voiceApp.authenticate(authorization(request));
  const audio = await voiceApp.getVoicemailAudio(user, request.params.voicemailId ?? '');
  return audioResponse(audio);
});

app.http('me-voicemail-audio-get', {
  methods: ['GET'],
  route: 'me/voicemails/{voicemailId}/audio',
  authLevel: 'anonymous',
  handler: meVoicemailAudioGet,
});
