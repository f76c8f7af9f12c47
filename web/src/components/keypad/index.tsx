// The 12-key pad. Used for dialling and, during a call, for DTMF. For dialling, holding "0" gives "+" (as on
// phones), so an international number can be entered by touch alone.
import { useRef } from 'preact/hooks';
import { KEYPAD_KEYS, KEYPAD_LETTERS, type KeypadKey } from '../../phone-number';

const LONG_PRESS_MS = 500;

export function Keypad(props: {
  label: string;
  onPress(key: string): void;
  disabled?: boolean;
  /** What holding a key enters instead (e.g. `{ '0': '+' }`). */
  longPress?: Partial<Record<KeypadKey, string>>;
}) {
  const timerRef = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const heldDoneRef = useRef(false); // the hold already entered its value: the click that ends it enters nothing
  const release = () => clearTimeout(timerRef.current);

  return (
    <div class="keypad" role="group" aria-label={props.label}>
      {KEYPAD_KEYS.map((key) => {
        const held = props.longPress?.[key];
        return (
          <button
            key={key}
            type="button"
            class="key"
            disabled={props.disabled}
            aria-label={KEYPAD_LETTERS[key] ? `${key} ${KEYPAD_LETTERS[key]}` : key}
            onPointerDown={
              held
                ? () => {
                    heldDoneRef.current = false;
                    release();
                    timerRef.current = setTimeout(() => {
                      heldDoneRef.current = true;
                      props.onPress(held);
                    }, LONG_PRESS_MS);
                  }
                : undefined
            }
            onPointerUp={held ? release : undefined}
            onPointerLeave={held ? release : undefined}
            onPointerCancel={held ? release : undefined}
            onContextMenu={held ? (event) => event.preventDefault() : undefined}
            onClick={() => {
              if (held && heldDoneRef.current) {
                heldDoneRef.current = false;
                return;
              }
              props.onPress(key);
            }}
          >
            <span class="key-digit">{key}</span>
            <span class="key-letters" aria-hidden="true">
              {KEYPAD_LETTERS[key] || '\u00a0'}
            </span>
          </button>
        );
      })}
    </div>
  );
}
