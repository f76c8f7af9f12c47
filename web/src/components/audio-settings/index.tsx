// The audio tab: which microphone calls use, where the other side and the ringtone play (where the browser can
// send audio to a chosen output), kept on this device; and a test of the ringtone on its output.
import { useEffect, useState } from 'preact/hooks';
import { playTone } from '../../audio-tones';
import { useAudioDevices, type AudioRole } from '../../hooks/use-audio-devices';
import { MicNotice } from '../mic-notice';

function DeviceSelect(props: { role: AudioRole; label: string; devices: MediaDeviceInfo[] }) {
  const { choice, choose } = useAudioDevices();
  const id = `audio-${props.role}`;
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <select
        id={id}
        value={choice[props.role] ?? ''}
        onChange={(event) => choose(props.role, event.currentTarget.value)}
      >
        <option value="">System default</option>
        {props.devices.map((device, index) => (
          <option key={device.deviceId} value={device.deviceId}>
            {device.label || `Device ${index + 1}`}
          </option>
        ))}
      </select>
    </div>
  );
}

export function AudioSettings() {
  const audio = useAudioDevices();
  const [testing, setTesting] = useState<(() => void) | undefined>(undefined);
  useEffect(() => () => testing?.(), [testing]);
  const unnamed = audio.mic !== 'ok' && audio.inputs.every((device) => !device.label);

  return (
    <section class="audio-settings" aria-labelledby="audio-title">
      <h2 id="audio-title">Audio</h2>
      <p class="lead">Choose the microphone and speakers for calls on this device. The choice is remembered here.</p>
      <MicNotice status={audio.mic} />
      {unnamed && audio.mic !== 'denied' && audio.mic !== 'missing' && (
        <p class="hint">
          The browser shows device names once the dialpad may use the microphone.{' '}
          <button type="button" class="link" onClick={() => void audio.allowMicrophone()}>
            Allow the microphone
          </button>
        </p>
      )}
      <DeviceSelect role="input" label="Microphone" devices={audio.inputs} />
      {audio.canChooseOutput ? (
        <>
          <DeviceSelect role="output" label="Speaker (calls)" devices={audio.outputs} />
          <DeviceSelect role="ringtone" label="Ringtone" devices={audio.outputs} />
          <button
            type="button"
            class="button button-secondary"
            aria-pressed={testing !== undefined}
            onClick={() => {
              if (testing) return setTesting(undefined);
              const stop = playTone('ring', audio.choice.ringtone);
              setTesting(() => stop);
              setTimeout(() => setTesting((current) => (current === stop ? undefined : current)), 4_000);
            }}
          >
            {testing ? 'Stop the ringtone' : 'Play the ringtone'}
          </button>
        </>
      ) : (
        <p class="hint">This browser plays calls and the ringtone on the system’s default output.</p>
      )}
    </section>
  );
}
