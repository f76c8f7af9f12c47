// What a caller hears when a user does not answer. The providers speak it (text to speech) and then play the
// tone the app serves at VOICEMAIL_TONE_PATH.

export const DEFAULT_GREETING =
  'The person you are calling is not available. Please leave a message after the tone. Press pound or hang up when you are done.';

/** The tone's route on the app (functions/voicemail-tone-get.ts), fetched by the provider without credentials. */
export const VOICEMAIL_TONE_PATH = '/api/voicemail/tone';

export function voicemailToneUrl(publicBaseUrl: string): string {
  return `${publicBaseUrl}${VOICEMAIL_TONE_PATH}`;
}
