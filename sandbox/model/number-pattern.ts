// Catapult's available-number `pattern` (docs/contracts/catapult-v1.md §5.1): letters and digits, `?` = exactly one
// digit, `*` = zero or more digits, matched against the whole 10-digit national number (so `*2?9*` finds "2, any digit,
// 9" anywhere). Letters are keypad digits (ABC=2 … WXYZ=9), as vanity searches expect.

const KEYPAD: Record<string, string> = {
  A: '2',
  B: '2',
  C: '2',
  D: '3',
  E: '3',
  F: '3',
  G: '4',
  H: '4',
  I: '4',
  J: '5',
  K: '5',
  L: '5',
  M: '6',
  N: '6',
  O: '6',
  P: '7',
  Q: '7',
  R: '7',
  S: '7',
  T: '8',
  U: '8',
  V: '8',
  W: '9',
  X: '9',
  Y: '9',
  Z: '9',
};

export const PATTERN_SYNTAX = /^[A-Za-z0-9?*]{1,20}$/;

export interface NumberPattern {
  readonly source: string;
  /** The patternMatch string for `nationalDigits` (10 digits), or undefined when it does not match. */
  match(nationalDigits: string): string | undefined;
}

/** Throws Error for text outside PATTERN_SYNTAX; callers turn that into a Catapult 400. */
export function compileNumberPattern(pattern: string): NumberPattern {
  if (!PATTERN_SYNTAX.test(pattern)) throw new Error('A pattern may only contain letters, digits, ? and *');
  const tokens = [...pattern.toUpperCase()];
  // One capture group per token, so the `d` flag gives where each literal landed.
  const regex = new RegExp(
    `^${tokens.map((t) => (t === '*' ? '(\\d*?)' : t === '?' ? '(\\d)' : `(${KEYPAD[t] ?? t})`)).join('')}$`,
    'd',
  );
  return {
    source: pattern,
    match(nationalDigits) {
      const found = regex.exec(nationalDigits);
      if (!found?.indices) return undefined;
      const shown = Array<string>(14).fill(' ');
      tokens.forEach((token, i) => {
        if (token === '*' || token === '?') return;
        const span = found.indices![i + 1];
        if (span) shown[formattedIndex(span[0])] = token;
      });
      return shown.join('');
    },
  };
}

/** Index of national digit `i` inside "(919) 555-1212", which patternMatch is aligned with. */
export function formattedIndex(i: number): number {
  if (i < 3) return i + 1;
  if (i < 6) return i + 3;
  return i + 4;
}
