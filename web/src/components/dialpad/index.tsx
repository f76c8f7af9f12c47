// The dialpad: type or tap a number, call it; during a call the call panel takes over.
// Keypad digits typed anywhere on the page (outside text fields) go into the number.
import { useEffect, useRef, useState } from 'preact/hooks';
import { formatDuration } from '../../hooks/use-call-timer';
import { useAppEndReason } from '../../hooks/use-app-end-reason';
import { usePhone } from '../../hooks/use-phone';
import { PhoneError } from '../../phone/phone';
import { isKeypadKey, normalizeDialInput } from '../../phone-number';
import { isTextField } from '../../keyboard';
import { CallPanel, callStatusText } from '../call-panel';
import { FieldError } from '../field-error';
import { Keypad } from '../keypad';

export function Dialpad() {
  const { phone, state } = usePhone();
  const [number, setNumber] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const inputRef = useRef<HTMLInputElement>(null);
  const call = state.call;
  const inCall = call !== undefined && call.state !== 'ended';
  const ready = state.registration === 'registered';
  const appEndReason = useAppEndReason(call);

  const placeCall = () => {
    const target = normalizeDialInput(number);
    if (!target.ok) return setError(target.message);
    try {
      phone?.call(target.target);
      setError(undefined);
    } catch (caught) {
      setError(caught instanceof PhoneError ? caught.message : 'The call could not be started.');
    }
  };

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || isTextField(event.target)) return;
      if (inCall) return; // during a call the call panel takes keypad keys as DTMF
      if (isKeypadKey(event.key)) {
        setNumber((current) => current + event.key);
        event.preventDefault();
      } else if (event.key === 'Backspace') {
        setNumber((current) => current.slice(0, -1));
        event.preventDefault();
      }
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [inCall]);

  return (
    <div class="dialpad">
      <p class="visually-hidden" aria-live="polite" data-testid="call-announcement">
        {call ? (appEndReason ?? callStatusText(call, undefined)) : ''}
      </p>
      {inCall && phone ? (
        <CallPanel call={call} phone={phone} />
      ) : (
        <form
          class="dial-form"
          aria-label="Dial a number"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            placeCall();
          }}
        >
          {call?.state === 'ended' && (
            <p class="last-call" data-testid="last-call">
              {appEndReason ??
                callStatusText(
                  call,
                  call.answeredAt && call.endedAt ? formatDuration(call.endedAt - call.answeredAt) : undefined,
                )}
            </p>
          )}
          <div class="dial-display">
            <label for="dial-number" class="visually-hidden">
              Phone number
            </label>
            <input
              id="dial-number"
              ref={inputRef}
              type="tel"
              inputMode="tel"
              autoComplete="tel"
              placeholder="Enter a number"
              value={number}
              aria-invalid={error ? 'true' : undefined}
              aria-describedby={error ? 'dial-error' : undefined}
              onInput={(event) => {
                setNumber(event.currentTarget.value);
                setError(undefined);
              }}
            />
            <button
              type="button"
              class="backspace"
              aria-label="Delete last digit"
              disabled={!number}
              onClick={() => setNumber(number.slice(0, -1))}
            >
              ⌫
            </button>
          </div>
          <FieldError id="dial-error" message={error} />
          <Keypad
            label="Dial pad"
            onPress={(key) => {
              setNumber(number + key);
              setError(undefined);
            }}
          />
          <button type="submit" class="button round button-call call-button" disabled={!ready || !number.trim()}>
            Call
          </button>
          {!ready && <p class="hint center">{state.registrationError ?? 'Connecting your phone…'}</p>}
        </form>
      )}
    </div>
  );
}
