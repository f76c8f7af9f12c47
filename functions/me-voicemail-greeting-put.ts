// PUT /api/me/voicemail/greeting (body: the WAV itself, Content-Type audio/wav): the user's own greeting, which
// callers then hear instead of the default spoken one. 8 kHz, 16-bit PCM, mono, 1–30 s (the dialpad records it
// so); anything else is 400 `invalid-greeting`, another content type 415.
import { app } from '@azure/functions';
import { AppError } from '../core/errors';
import { MAX_GREETING_BYTES } from '../core/voicemail/greetings';
import { authorization, jsonResponse, NO_STORE, withVoiceApp } from './http';

export const meVoicemailGreetingPut = withVoiceApp(async (request, _context, voiceApp) => {
  const user = await voiceApp.authenticate(authorization(request));
  const mediaType = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (mediaType !== 'audio/wav' && mediaType !== 'audio/wave' && mediaType !== 'audio/x-wav')
    throw new AppError('unsupported-media-type', 'Send the greeting as a WAV file (Content-Type: audio/wav).');
  const tooLarge = () => new AppError('invalid-greeting', 'The greeting file is too large (30 s at most).', 'audio');
  if (Number(request.headers.get('content-length') ?? '0') > MAX_GREETING_BYTES) throw tooLarge();
  const audio = Buffer.from(await request.arrayBuffer());
  if (audio.byteLength > MAX_GREETING_BYTES) throw tooLarge();
  return jsonResponse(200, await voiceApp.saveGreeting(user, audio), NO_STORE);
});

app.http('me-voicemail-greeting-put', {
  methods: ['PUT'],
  route: 'me/voicemail/greeting',
  authLevel: 'anonymous',
  handler: meVoicemailGreetingPut,
});
