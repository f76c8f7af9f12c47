// The microphone, speaker and ringtone output the person chose (kept per device), the devices there are, and
// whether the microphone can be used at all: blocked or missing is said on the dialpad before any call fails.
import { createContext, h, type ComponentChildren } from 'preact';
import { useCallback, useContext, useEffect, useMemo, useState } from 'preact/hooks';
import { canChooseOutput } from '../audio-tones';
import { localSettings } from '../local-settings';

/** `prompt`: the browser will ask on the first call; `unknown`: the browser does not say. */
export type MicStatus = 'ok' | 'prompt' | 'denied' | 'missing' | 'unknown';
export type AudioRole = 'input' | 'output' | 'ringtone';
export type AudioChoice = Partial<Record<AudioRole, string>>;

export interface AudioDevicesValue {
  inputs: MediaDeviceInfo[];
  outputs: MediaDeviceInfo[];
  canChooseOutput: boolean;
  choice: AudioChoice;
  choose: (role: AudioRole, deviceId: string) => void;
  mic: MicStatus;
  /** Asks for the microphone (the browser's prompt), so devices get their names; then looks again. */
  allowMicrophone: () => Promise<void>;
  /** Looks at the devices and the permission again (after a call failed on the microphone, say). */
  refresh: () => void;
}

const KEY = 'audio-devices';
const isChoice = (value: unknown): value is AudioChoice =>
  typeof value === 'object' && value !== null && Object.values(value).every((id) => typeof id === 'string');
const NONE: AudioDevicesValue = {
  inputs: [],
  outputs: [],
  canChooseOutput: false,
  choice: {},
  choose: () => undefined,
  mic: 'unknown',
  allowMicrophone: () => Promise.resolve(),
  refresh: () => undefined,
};
const AudioDevicesContext = createContext<AudioDevicesValue>(NONE);

async function microphonePermission(): Promise<PermissionState | undefined> {
  try {
    return (await navigator.permissions.query({ name: 'microphone' })).state;
  } catch {
    return undefined; // Firefox before 131 and others do not know the name
  }
}

export function AudioDevicesProvider(props: { children: ComponentChildren }) {
  const [devices, setDevices] = useState<MediaDeviceInfo[] | undefined>(undefined); // undefined: not looked yet
  const [permission, setPermission] = useState<PermissionState | undefined>(undefined);
  const [choice, setChoice] = useState<AudioChoice>(() => localSettings.read(KEY, isChoice) ?? {});
  const media = typeof navigator !== 'undefined' ? navigator.mediaDevices : undefined;

  const refresh = useCallback(() => {
    void microphonePermission().then(setPermission);
    void media?.enumerateDevices().then(setDevices, () => setDevices([]));
  }, [media]);
  useEffect(() => {
    refresh();
    media?.addEventListener('devicechange', refresh);
    const stop = new AbortController();
    void navigator.permissions
      ?.query({ name: 'microphone' })
      .then((status) => status.addEventListener('change', refresh, { signal: stop.signal }))
      .catch(() => undefined);
    return () => {
      media?.removeEventListener('devicechange', refresh);
      stop.abort();
    };
  }, [media, refresh]);

  const allowMicrophone = useCallback(async () => {
    try {
      const stream = await media!.getUserMedia({ audio: true });
      for (const track of stream.getTracks()) track.stop();
    } catch {
      // Denied or missing: refresh() shows which.
    }
    refresh();
  }, [media, refresh]);

  const choose = useCallback((role: AudioRole, deviceId: string) => {
    setChoice((current) => {
      const next = { ...current, [role]: deviceId || undefined };
      localSettings.write(KEY, next);
      return next;
    });
  }, []);

  const value = useMemo<AudioDevicesValue>(() => {
    const named = (kind: MediaDeviceKind) =>
      (devices ?? []).filter((device) => device.kind === kind && device.deviceId);
    const noInput = devices !== undefined && !devices.some((device) => device.kind === 'audioinput');
    const mic: MicStatus = !media
      ? 'missing'
      : permission === 'denied'
        ? 'denied'
        : noInput
          ? 'missing'
          : permission === 'granted'
            ? 'ok'
            : (permission ?? 'unknown');
    return {
      inputs: named('audioinput'),
      outputs: named('audiooutput'),
      canChooseOutput: canChooseOutput(),
      choice,
      choose,
      mic,
      allowMicrophone,
      refresh,
    };
  }, [devices, permission, choice, choose, allowMicrophone, refresh, media]);
  return h(AudioDevicesContext.Provider, { value }, props.children);
}

export function useAudioDevices(): AudioDevicesValue {
  return useContext(AudioDevicesContext);
}
