// How a simulated phone behaves when it is rung, per address (E.164 number, or the sip: URI of a
// sandbox endpoint that no SIP client has registered), set through the control API.
import { badRequest } from '../errors';

export type PhoneBehaviour = 'answer' | 'manual' | 'busy' | 'no-answer';

export interface PhoneSettings {
  behaviour: PhoneBehaviour;
  /** For `answer`: how long it rings first. */
  answerDelayMs: number;
}

export const DEFAULT_ANSWER_DELAY_MS = 200;
const MAX_ANSWER_DELAY_MS = 300_000;
const BEHAVIOURS: readonly PhoneBehaviour[] = ['answer', 'manual', 'busy', 'no-answer'];

export function parsePhoneSettings(body: unknown): PhoneSettings {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest('validation-error', 'The body must be a JSON object');
  }
  const { behaviour, answerDelayMs } = body as Record<string, unknown>;
  if (typeof behaviour !== 'string' || !BEHAVIOURS.includes(behaviour as PhoneBehaviour)) {
    throw badRequest('validation-error', `behaviour must be one of ${BEHAVIOURS.join(', ')}`);
  }
  if (
    answerDelayMs !== undefined &&
    (typeof answerDelayMs !== 'number' ||
      !Number.isInteger(answerDelayMs) ||
      answerDelayMs < 0 ||
      answerDelayMs > MAX_ANSWER_DELAY_MS)
  ) {
    throw badRequest('validation-error', `answerDelayMs must be an integer from 0 to ${MAX_ANSWER_DELAY_MS}`);
  }
  return { behaviour: behaviour as PhoneBehaviour, answerDelayMs: answerDelayMs ?? DEFAULT_ANSWER_DELAY_MS };
}

/** SIP URIs compare with a lower-case scheme and host; numbers as given. */
export function phoneKey(address: string): string {
  const sip = /^(sips?):([^@]+)@(.+)$/i.exec(address);
  return sip ? `${sip[1]!.toLowerCase()}:${sip[2]}@${sip[3]!.toLowerCase()}` : address;
}

export class PhoneBehaviours {
  private readonly byAddress = new Map<string, PhoneSettings>();

  constructor(
    private readonly defaults: { outsidePhone: PhoneSettings; simulatedEndpoint: PhoneSettings } = {
      outsidePhone: { behaviour: 'answer', answerDelayMs: DEFAULT_ANSWER_DELAY_MS },
      // A sandbox endpoint with no SIP client rings until the control API answers it (or the call times out).
      simulatedEndpoint: { behaviour: 'manual', answerDelayMs: DEFAULT_ANSWER_DELAY_MS },
    },
  ) {}

  set(address: string, settings: PhoneSettings): void {
    this.byAddress.set(phoneKey(address), settings);
  }

  reset(address: string): boolean {
    return this.byAddress.delete(phoneKey(address));
  }

  get(address: string, kind: 'outsidePhone' | 'simulatedEndpoint'): PhoneSettings {
    return this.byAddress.get(phoneKey(address)) ?? this.defaults[kind];
  }

  list(): Array<{ address: string } & PhoneSettings> {
    return [...this.byAddress.entries()].map(([address, settings]) => ({ address, ...settings }));
  }
}
