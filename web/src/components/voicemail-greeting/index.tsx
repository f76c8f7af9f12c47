// The user's own voicemail greeting: record one (up to 30 s, with the chosen microphone), listen to it, save it or
// record again; go back to the default spoken greeting. Callers hear the saved one before the tone.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../../api';
import { errorText } from '../../error-text';
import { recordGreeting, type GreetingRecording } from '../../greeting-recorder';
import { useAudioDevices } from '../../hooks/use-audio-devices';
import { formatDuration } from '../../hooks/use-call-timer';
import { useSession } from '../../hooks/use-session';
import { FieldError } from '../field-error';

const MAX_SECONDS = 30;

type Stage =
  | { kind: 'loading' }
  | { kind: 'default' }
  | { kind: 'saved'; url: string }
  | { kind: 'recording'; startedAt: number }
  | { kind: 'recorded'; wav: Blob; url: string };

export function VoicemailGreeting() {
  const { api } = useSession();
  const { choice } = useAudioDevices();
  const [stage, setStage] = useState<Stage>({ kind: 'loading' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const [now, setNow] = useState(Date.now());
  const recordingRef = useRef<GreetingRecording | undefined>(undefined);

  const show = (next: Stage) =>
    setStage((previous) => {
      if ('url' in previous && (!('url' in next) || next.url !== previous.url)) URL.revokeObjectURL(previous.url);
      return next;
    });

  function fail(e: unknown, fallback: string) {
    setError(e instanceof ApiError ? errorText(e) : fallback);
  }

  const load = async () => {
    try {
      show({ kind: 'saved', url: URL.createObjectURL(await api.getGreeting()) });
    } catch (e) {
      if (e instanceof ApiError && e.code === 'greeting-not-found') show({ kind: 'default' });
      else {
        show({ kind: 'default' });
        fail(e, 'Could not load your greeting.');
      }
    }
  };
  useEffect(() => {
    void load();
    return () => recordingRef.current?.cancel();
  }, []); // eslint-disable-line react-hooks/exhaustive-deps -- once, when the tab opens

  useEffect(() => {
    if (stage.kind !== 'recording') return undefined;
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [stage.kind]);

  const finish = async () => {
    const current = recordingRef.current;
    recordingRef.current = undefined;
    if (!current) return;
    const wav = await current.stop();
    show({ kind: 'recorded', wav, url: URL.createObjectURL(wav) });
  };

  const start = async () => {
    setError(undefined);
    setNotice(undefined);
    try {
      recordingRef.current = await recordGreeting({
        maxSeconds: MAX_SECONDS,
        onLimit: () => void finish(),
        ...(choice.input ? { deviceId: choice.input } : {}),
      });
      setNow(Date.now());
      show({ kind: 'recording', startedAt: Date.now() });
    } catch {
      setError('The microphone could not be used. Allow it for this site, or check that one is connected.');
    }
  };

  const run = async (work: () => Promise<void>, fallback: string) => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
    } catch (e) {
      fail(e, fallback);
    } finally {
      setBusy(false);
    }
  };
  const save = (wav: Blob) =>
    run(async () => {
      await api.saveGreeting(wav);
      setNotice('Saved: callers now hear your greeting.');
      await load();
    }, 'Could not save your greeting.');
  const backToDefault = () =>
    run(async () => {
      await api.deleteGreeting();
      setNotice('Callers now hear the default greeting.');
      show({ kind: 'default' });
    }, 'Could not remove your greeting.');

  return (
    <section class="voicemail-greeting" aria-labelledby="greeting-title" data-testid="voicemail-greeting">
      <h3 id="greeting-title">Your greeting</h3>
      {stage.kind === 'loading' && <p class="empty">Loading…</p>}
      {stage.kind === 'default' && <p>Callers hear the default greeting. Record your own (up to {MAX_SECONDS} s).</p>}
      {stage.kind === 'saved' && <audio controls src={stage.url} data-testid="greeting-player" />}
      {stage.kind === 'recording' && (
        <p role="status" class="recording-status">
          Recording… {formatDuration(now - stage.startedAt)} of {formatDuration(MAX_SECONDS * 1000)}
        </p>
      )}
      {stage.kind === 'recorded' && <audio controls src={stage.url} data-testid="greeting-preview" />}
      <div class="greeting-actions">
        {(stage.kind === 'default' || stage.kind === 'saved') && (
          <button type="button" class="button" disabled={busy} onClick={() => void start()}>
            {stage.kind === 'saved' ? 'Record a new greeting' : 'Record greeting'}
          </button>
        )}
        {stage.kind === 'recording' && (
          <button type="button" class="button" onClick={() => void finish()}>
            Stop
          </button>
        )}
        {stage.kind === 'recorded' && (
          <button type="button" class="button" disabled={busy} onClick={() => void save(stage.wav)}>
            {busy ? 'Saving…' : 'Save greeting'}
          </button>
        )}
        {stage.kind === 'recorded' && (
          <button type="button" class="button button-quiet" disabled={busy} onClick={() => void start()}>
            Record again
          </button>
        )}
        {stage.kind === 'saved' && (
          <button type="button" class="button button-quiet" disabled={busy} onClick={() => void backToDefault()}>
            Use the default greeting
          </button>
        )}
      </div>
      {notice && (
        <p role="status" class="notice">
          {notice}
        </p>
      )}
      <FieldError id="greeting-error" message={error} />
    </section>
  );
}
