// Offers call notifications once the phone is ready: the browser's permission prompt comes only when the person
// asks for it here (browsers ignore or quiet prompts nobody asked for), and "Not now" is remembered per device.
import { useState } from 'preact/hooks';
import { localSettings } from '../../local-settings';

const KEY = 'notifications-dismissed';
const isTrue = (value: unknown): value is true => value === true;

export function NotificationPrompt() {
  const [permission, setPermission] = useState(() =>
    typeof Notification === 'undefined' ? 'unsupported' : Notification.permission,
  );
  const [dismissed, setDismissed] = useState(() => localSettings.read(KEY, isTrue) ?? false);
  if (permission !== 'default' || dismissed) return null;
  return (
    <div class="notice notification-prompt" data-testid="notification-prompt">
      <p>Get a notification when someone calls while this tab is in the background.</p>
      <button
        type="button"
        class="button button-secondary"
        onClick={() => void Notification.requestPermission().then(setPermission, () => setPermission('denied'))}
      >
        Turn on call notifications
      </button>
      <button
        type="button"
        class="button button-quiet"
        onClick={() => {
          localSettings.write(KEY, true);
          setDismissed(true);
        }}
      >
        Not now
      </button>
    </div>
  );
}
