// Says before any call fails that the microphone is blocked or missing, and how to fix it.
import type { MicStatus } from '../../hooks/use-audio-devices';

export const MIC_PROBLEM: Partial<Record<MicStatus, string>> = {
  denied:
    'Microphone blocked: calls need it. Click the lock or settings icon at the left of the address bar, set Microphone to Allow, then reload the page. On a phone: the browser’s site settings, Microphone, Allow.',
  missing: 'No microphone found: connect one, or check that it is switched on, to make and take calls.',
};

export function MicNotice(props: { status: MicStatus }) {
  const text = MIC_PROBLEM[props.status];
  if (!text) return null;
  return (
    <p class="notice notice-warning" role="alert" data-testid="mic-notice" data-status={props.status}>
      {text}
    </p>
  );
}
