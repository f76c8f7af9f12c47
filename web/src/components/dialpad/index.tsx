// The dialpad: type or tap a number, call it; during a call the call panel takes over. Before a call is placed
// the dialpad says why it would fail: a blocked or missing microphone, or a number the app refuses (asked of the
// API with the router's own rules). Keypad digits, "+", Backspace and Enter typed anywhere on the page (outside
// form fields and buttons) work as on the pad.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { OUTCOME_TEXT } from '../../call-outcome';
import { createDialChecks } from '../../dial-checks';
import { useAudioDevices } from '../../hooks/use-audio-devices';
import { formatDuration } from '../../hooks/use-call-timer';
import { useAppEndReason } from '../../hooks/use-app-end-reason';
import { useOutcomeText, usePeerName } from '../../hooks/use-call-words';
import { usePhone } from '../../hooks/use-phone';
import { useSession } from '../../hooks/use-session';
import { PhoneError } from '../../phone/phone';
import { isKeypadKey, normalizeDialInput } from '../../phone-number';
import { isTextField } from '../../keyboard';
import { CallPanel, callStatusText, peerLabel } from '../call-panel';
import { FieldError } from '../field-error';
import { Keypad } from '../keypad';
import { MIC_PROBLEM, MicNotice } from '../mic-notice';
import { NotificationPrompt } from '../notification-prompt';

/** Keys on these are theirs (Enter presses a focused button); the page-wide shortcuts leave them alone. */
function ownsKeys(target: EventTarget | null): boolean {
  return isTextField(target) || (target instanceof HTMLElement && !!target.closest('button, a, [role="tab"]'));
}

export function Dialpad(props: { dial?: { number: string; seq: number } }) {
  const { phone, state } = usePhone();
  const { api } = useSession();
  const audio = useAudioDevices();
  const [number, setNumber] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const [checking, setChecking] = useState(false);
  const dialChecks = useMemo(() => createDialChecks((typed) => api.checkDial(typed)), [api]);
  const call = state.call;
  const inCall = call !== undefined && call.state !== 'ended';
  const ready = state.registration === 'registered';
  const appEndReason = useAppEndReason(call);
  const name = usePeerName(call);
  const outcome = useOutcomeText(call);
  const ended = appEndReason ?? outcome?.text;
  // Talk time only for a call someone answered: not for one the platform answered while the far end rang.
  const talkTime =
    call?.answeredAt && call.endedAt && outcome?.farEndAnswered ? call.endedAt - call.answeredAt : undefined;

  const placeCall = async (typed: string) => {
    const target = normalizeDialInput(typed);
    if (!target.ok) return setError(target.message);
    const micProblem = MIC_PROBLEM[audio.mic];
    if (micProblem) return setError(micProblem);
    if (checking || !phone) return;
    setChecking(true);
    const verdict = await dialChecks.check(typed);
    setChecking(false);
    if (verdict && !verdict.allowed) return setError(OUTCOME_TEXT[verdict.reason]);
    try {
      phone.call(verdict?.allowed ? verdict.number : target.target);
      setError(undefined);
    } catch (caught) {
      setError(caught instanceof PhoneError ? caught.message : 'The call could not be started.');
    }
  };
  const edit = (next: string) => {
    setNumber(next);
    setError(undefined);
    dialChecks.prefetch(next);
  };

  // A call that failed on the microphone: look again, so the notice says what to fix.
  const micFailed = call?.outcome === 'mic-denied' ? call.id : undefined;
  useEffect(() => {
    if (micFailed) audio.refresh();
  }, [micFailed]); // eslint-disable-line react-hooks/exhaustive-deps -- once per failed call

  // Call back / redial from the history: one tap places the call.
  const dial = props.dial;
  useEffect(() => {
    if (!dial) return;
    setNumber(dial.number);
    void placeCall(dial.number);
  }, [dial?.seq]); // eslint-disable-line react-hooks/exhaustive-deps -- once per request

  const latestRef = useRef({ number, placeCall });
  latestRef.current = { number, placeCall };
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || ownsKeys(event.target)) return;
      if (inCall) return; // during a call the call panel takes keypad keys as DTMF
      if (isKeypadKey(event.key) || event.key === '+') edit(latestRef.current.number + event.key);
      else if (event.key === 'Backspace') edit(latestRef.current.number.slice(0, -1));
      else if (event.key === 'Enter' && latestRef.current.number.trim())
        void latestRef.current.placeCall(latestRef.current.number);
      else return;
      event.preventDefault();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [inCall]); // eslint-disable-line react-hooks/exhaustive-deps -- edit and the number are read through refs

  const announcement = !call
    ? ''
    : call.state === 'incoming'
      ? `Incoming call from ${peerLabel(call, name)}`
      : state.waiting
        ? `Call waiting from ${peerLabel(state.waiting, undefined)}`
        : call.state === 'ended'
          ? (ended ?? '')
          : callStatusText(call, undefined);

  return (
    <div class="dialpad">
      <p class="visually-hidden" aria-live="polite" data-testid="call-announcement">
        {announcement}
      </p>
      {inCall && phone ? (
        <CallPanel call={call} waiting={state.waiting} phone={phone} />
      ) : (
        <form
          class="dial-form"
          aria-label="Dial a number"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            void placeCall(number);
          }}
        >
          <MicNotice status={audio.mic} />
          {call?.state === 'ended' && (
            <p class="last-call" data-testid="last-call">
              {talkTime === undefined ? ended : `${ended} · ${formatDuration(talkTime)}`}
            </p>
          )}
          <div class="dial-display">
            <label for="dial-number" class="visually-hidden">
              Phone number
            </label>
            <input
              id="dial-number"
              type="tel"
              inputMode="tel"
              autoComplete="tel"
              placeholder="Enter a number"
              value={number}
              aria-invalid={error ? 'true' : undefined}
              aria-describedby={error ? 'dial-error' : undefined}
              onInput={(event) => edit(event.currentTarget.value)}
            />
            <button
              type="button"
              class="backspace"
              aria-label="Delete last digit"
              disabled={!number}
              onClick={() => edit(number.slice(0, -1))}
            >
              ⌫
            </button>
          </div>
          <FieldError id="dial-error" message={error} />
          <Keypad label="Dial pad" longPress={{ '0': '+' }} onPress={(key) => edit(number + key)} />
          <button
            type="submit"
            class="button round button-call call-button"
            disabled={!ready || !number.trim() || checking}
          >
            Call
          </button>
          {!ready && <p class="hint center">{state.registrationError ?? 'Connecting your phone…'}</p>}
          {ready && <NotificationPrompt />}
        </form>
      )}
    </div>
  );
}
