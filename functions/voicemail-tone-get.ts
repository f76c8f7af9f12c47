// GET /api/voicemail/tone: the beep a caller hears before leaving a message. The provider fetches it without
// credentials while playing the voicemail (Bandwidth's <PlayAudio>, Catapult's fileUrl), so it is public: a fixed
// half second of 1 kHz that says nothing about anyone, cacheable for a day.
import { app } from '@azure/functions';
import { voicemailTone } from '../core/voicemail/wav';

let tone: Buffer | undefined;

export function voicemailToneGet() {
  tone ??= voicemailTone();
  return {
    status: 200,
    body: tone,
    headers: { 'Content-Type': 'audio/wav', 'Cache-Control': 'public, max-age=86400' },
  };
}

app.http('voicemail-tone-get', {
  methods: ['GET'],
  route: 'voicemail/tone',
  authLevel: 'anonymous',
  handler: async () => voicemailToneGet(),
});
