// The call in progress: who (the other user's name when known), state and duration, how the connection is, and
// the controls for this state (answer/decline while ringing in; mute, hold, keypad and hang-up once connected),
// with a second incoming call offered above them. Keypad keys typed on the keyboard during a connected call are
// sent as DTMF. Hang up stays above the keypad, so it is on screen on a small phone.
import { useEffect, useState } from 'preact/hooks';
import { useCallTimer } from '../../hooks/use-call-timer';
import { usePeerName } from '../../hooks/use-call-words';
import type { CallInfo, Phone, QualityWarning } from '../../phone/phone';
import { isTextField } from '../../keyboard';
import { displayPeer, isKeypadKey } from '../../phone-number';
import { Keypad } from '../keypad';

const STATUS: Record<Exclude<CallInfo['state'], 'active' | 'ended'>, string> = {
  dialing: 'Calling…',
  ringing: 'Ringing…',
  incoming: 'Incoming call',
  answering: 'Connecting…',
};

const QUALITY: Record<QualityWarning, string> = {
  loss: 'Poor connection: some of the audio is being lost.',
  latency: 'Poor connection: the audio is delayed.',
  jitter: 'Poor connection: the audio is uneven.',
};

export function callStatusText(call: CallInfo, duration: string | undefined): string {
  if (call.state === 'active') {
    const state = call.held ? 'On hold' : call.remoteHeld ? 'Held by the other side' : 'Connected';
    return duration ? `${state} · ${duration}` : state;
  }
  return call.state === 'ended' ? 'Call ended' : STATUS[call.state];
}

/** "alice · (919) 555-0100", or the number alone. */
export function peerLabel(call: CallInfo, name: string | undefined): string {
  return name ? `${name} · ${displayPeer(call.peer)}` : displayPeer(call.peer);
}

function qualityText(call: CallInfo): string | undefined {
  const quality = call.state === 'active' ? call.quality : undefined;
  if (quality?.connection === 'lost') return 'Connection lost. Trying to recover…';
  if (quality?.warning) return QUALITY[quality.warning];
  return quality?.connection === 'recovered' ? 'Connection recovered.' : undefined;
}

function WaitingCall(props: { call: CallInfo; phone: Phone }) {
  const name = usePeerName(props.call);
  return (
    <div class="waiting-call" role="group" aria-label="Call waiting" data-testid="waiting-call">
      <p>
        Also calling: <strong>{peerLabel(props.call, name)}</strong>
      </p>
      <div class="waiting-actions">
        <button type="button" class="button button-secondary" onClick={() => props.phone.declineWaiting()}>
          Decline
        </button>
        <button type="button" class="button button-call" onClick={() => props.phone.answerWaiting()}>
          End call &amp; answer
        </button>
      </div>
    </div>
  );
}

export function CallPanel(props: { call: CallInfo; waiting: CallInfo | undefined; phone: Phone }) {
  const { call, phone } = props;
  const name = usePeerName(call);
  const duration = useCallTimer(call.answeredAt, call.endedAt);
  const [showKeys, setShowKeys] = useState(false);
  const [sentTones, setSentTones] = useState('');
  const sendTone = (key: string) => {
    if (phone.sendDtmf(key)) setSentTones((tones) => (tones + key).slice(-24));
  };
  const active = call.state === 'active';
  const notice = qualityText(call);

  // Keypad keys typed anywhere on the page during a connected call are sent as DTMF.
  useEffect(() => {
    if (!active) return undefined;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || isTextField(event.target) || !isKeypadKey(event.key))
        return;
      event.preventDefault();
      sendTone(event.key);
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [active, phone]); // eslint-disable-line react-hooks/exhaustive-deps -- sendTone only closes over phone

  return (
    <section
      class={`call-panel call-${call.state}`}
      aria-label="Current call"
      data-testid="call-panel"
      data-state={call.state}
    >
      <p class="call-direction">{call.direction === 'inbound' ? 'From' : 'To'}</p>
      {name && (
        <p class="call-name" data-testid="call-name">
          {name}
        </p>
      )}
      <p class="call-peer" data-testid="call-peer">
        {displayPeer(call.peer)}
      </p>
      <p class="call-status" data-testid="call-status">
        {callStatusText(call, duration)}
      </p>
      {notice && (
        <p
          class={`call-quality quality-${call.quality?.connection === 'lost' || call.quality?.warning ? 'bad' : 'ok'}`}
          role="status"
          data-testid="call-quality"
        >
          {notice}
        </p>
      )}
      {props.waiting && <WaitingCall call={props.waiting} phone={phone} />}
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
      {call.state !== 'incoming' && call.state !== 'ended' && (
        <div class="call-actions">
          {active && (
            <>
              <button
                type="button"
                class="button round button-toggle"
                aria-pressed={call.muted}
                onClick={() => phone.setMuted(!call.muted)}
              >
                Mute
              </button>
              <button
                type="button"
                class="button round button-toggle"
                aria-pressed={call.held}
                onClick={() => phone.setHeld(!call.held)}
              >
                Hold
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
      {active && showKeys && (
        <>
          <output class="dtmf-sent" aria-label="Tones sent">
            {sentTones || '\u00a0'}
          </output>
          <Keypad label="Send tones" onPress={sendTone} />
        </>
      )}
    </section>
  );
}
