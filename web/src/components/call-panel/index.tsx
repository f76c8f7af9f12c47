// The call in progress: who, state and duration, and the controls for this state
// (answer/decline while ringing in; mute, keypad and hang-up once connected). Keypad keys typed on
// the keyboard during a connected call are sent as DTMF.
import { useEffect, useState } from 'preact/hooks';
import { useCallTimer } from '../../hooks/use-call-timer';
import type { CallInfo, Phone } from '../../phone/phone';
import { isTextField } from '../../keyboard';
import { displayPeer, isKeypadKey } from '../../phone-number';
import { Keypad } from '../keypad';

export function callStatusText(call: CallInfo, duration: string | undefined): string {
  switch (call.state) {
    case 'dialing':
      return 'Calling…';
    case 'ringing':
      return 'Ringing…';
    case 'incoming':
      return 'Incoming call';
    case 'answering':
      return 'Connecting…';
    case 'active':
      return duration ? `Connected · ${duration}` : 'Connected';
    case 'ended': {
      const reason = call.endReason ?? 'Call ended';
      return duration ? `${reason} · ${duration}` : reason;
    }
  }
}

export function CallPanel(props: { call: CallInfo; phone: Phone }) {
  const { call, phone } = props;
  const duration = useCallTimer(call.answeredAt, call.endedAt);
  const [showKeys, setShowKeys] = useState(false);
  const [sentTones, setSentTones] = useState('');
  const sendTone = (key: string) => {
    if (phone.sendDtmf(key)) setSentTones((tones) => (tones + key).slice(-24));
  };

  // Keypad keys typed anywhere on the page during a connected call are sent as DTMF.
  useEffect(() => {
    if (call.state !== 'active') return undefined;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || isTextField(event.target) || !isKeypadKey(event.key))
        return;
      event.preventDefault();
      sendTone(event.key);
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [call.state, phone]); // eslint-disable-line react-hooks/exhaustive-deps -- sendTone only closes over phone

  return (
    <section
      class={`call-panel call-${call.state}`}
      aria-label="Current call"
      data-testid="call-panel"
      data-state={call.state}
    >
      <p class="call-direction">{call.direction === 'inbound' ? 'From' : 'To'}</p>
      <p class="call-peer" data-testid="call-peer">
        {displayPeer(call.peer)}
      </p>
      <p class="call-status" data-testid="call-status">
        {callStatusText(call, duration)}
      </p>
      {call.state === 'incoming' && (
        <div class="call-actions">
          <button type="button" class="button round button-danger" onClick={() => phone.decline()}>
            Decline
          </button>
          <button type="button" class="button round button-call" onClick={() => phone.answer()} autoFocus>
            Answer
          </button>
        </div>
      )}
      {call.state === 'active' && showKeys && (
        <>
          <output class="dtmf-sent" aria-label="Tones sent">
            {sentTones || '\u00a0'}
          </output>
          <Keypad label="Send tones" onPress={sendTone} />
        </>
      )}
      {(call.state === 'dialing' ||
        call.state === 'ringing' ||
        call.state === 'answering' ||
        call.state === 'active') && (
        <div class="call-actions">
          {call.state === 'active' && (
            <>
              <button
                type="button"
                class="button round button-toggle"
                aria-pressed={call.muted}
                onClick={() => phone.setMuted(!call.muted)}
              >
                {call.muted ? 'Unmute' : 'Mute'}
              </button>
              <button
                type="button"
                class="button round button-toggle"
                aria-pressed={showKeys}
                onClick={() => setShowKeys(!showKeys)}
              >
                Keypad
              </button>
            </>
          )}
          <button type="button" class="button round button-danger" onClick={() => phone.hangUp()}>
            Hang up
          </button>
        </div>
      )}
    </section>
  );
}
