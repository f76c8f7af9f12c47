// The platforms' stand-in for text to speech: no synthesis, a 660 Hz tone (distinct from the tone phones' 440 Hz)
// for about 60 ms per character, between 1 and 10 seconds, so tests can tell a prompt from the caller's audio.
import { tone } from './wav';

export const SPEECH_HZ = 660;

export function speechDurationMs(text: string): number {
  return Math.min(10_000, Math.max(1000, text.length * 60));
}

export function spokenSentence(text: string): Int16Array {
  return tone(SPEECH_HZ, speechDurationMs(text));
}
