// Light client-side clean-up of what a person types into the dialpad. The server validates fully
// (allowed destinations, real numbering plan); this only turns "(919) 555-0100", "919.555.0100",
// "1 919 555 0100" or "+1-919-555-0100" into E.164 so the call goes out in one canonical form.

export type DialTarget = { ok: true; target: string } | { ok: false; message: string };

const SEPARATORS = /[\s\-.()\u00a0]/g;

export function normalizeDialInput(input: string): DialTarget {
  const trimmed = input.trim();
  if (trimmed === '') return { ok: false, message: 'Enter a phone number.' };
  const compact = trimmed.replace(SEPARATORS, '');
  if (!/^\+?\d+$/.test(compact)) {
    return { ok: false, message: 'Use digits only, with optional spaces, dashes, dots, parentheses or a leading +.' };
  }
  if (compact.startsWith('+')) {
    if (compact.length < 8 || compact.length > 16) return { ok: false, message: 'That number has the wrong length.' };
    return { ok: true, target: compact };
  }
  if (compact.length === 10) return { ok: true, target: `+1${compact}` };
  if (compact.length === 11 && compact.startsWith('1')) return { ok: true, target: `+${compact}` };
  if (compact.length < 3 || compact.length > 15) return { ok: false, message: 'That number has the wrong length.' };
  // Anything else (short codes, international without +) goes as typed; the server decides.
  return { ok: true, target: compact };
}

/** "+19195550100" → "(919) 555-0100"; other numbers are returned unchanged. */
export function formatPhoneNumber(number: string): string {
  const match = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(number);
  return match ? `(${match[1]}) ${match[2]}-${match[3]}` : number;
}

/** The user part of a SIP URI ("sip:+19195550100@x" → "+19195550100"), for showing callers. */
export function displayPeer(peer: string): string {
  const sip = /^sips?:([^@;]+)@/.exec(peer);
  return formatPhoneNumber(sip ? sip[1]! : peer);
}

/** DTMF keys the keypad offers, in layout order. */
export const KEYPAD_KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'] as const;
export type KeypadKey = (typeof KEYPAD_KEYS)[number];

export const KEYPAD_LETTERS: Record<KeypadKey, string> = {
  '1': '',
  '2': 'ABC',
  '3': 'DEF',
  '4': 'GHI',
  '5': 'JKL',
  '6': 'MNO',
  '7': 'PQRS',
  '8': 'TUV',
  '9': 'WXYZ',
  '*': '',
  '0': '+',
  '#': '',
};

export function isKeypadKey(key: string): key is KeypadKey {
  return (KEYPAD_KEYS as readonly string[]).includes(key);
}
