// The 12-key pad. Used for dialling and, during a call, for DTMF.
import { KEYPAD_KEYS, KEYPAD_LETTERS, type KeypadKey } from '../../phone-number';

export function Keypad(props: { label: string; onPress(key: KeypadKey): void; disabled?: boolean }) {
  return (
    <div class="keypad" role="group" aria-label={props.label}>
      {KEYPAD_KEYS.map((key) => (
        <button
          key={key}
          type="button"
          class="key"
          disabled={props.disabled}
          aria-label={KEYPAD_LETTERS[key] ? `${key} ${KEYPAD_LETTERS[key]}` : key}
          onClick={() => props.onPress(key)}
        >
          <span class="key-digit">{key}</span>
          <span class="key-letters" aria-hidden="true">
            {KEYPAD_LETTERS[key] || '\u00a0'}
          </span>
        </button>
      ))}
    </div>
  );
}
