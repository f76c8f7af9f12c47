// Top bar: the app name; once logged in, the user's number, the phone's connection state and log-out.
import { usePhone } from '../../hooks/use-phone';
import { useSession } from '../../hooks/use-session';
import type { RegistrationState } from '../../phone/phone';

const STATUS_TEXT: Record<RegistrationState, string> = {
  offline: 'Offline',
  connecting: 'Connecting…',
  registered: 'Ready',
  failed: 'Not connected',
};

export function AppHeader() {
  const { session, endSession } = useSession();
  const { state } = usePhone();
  return (
    <header class="app-header">
      <div class="brand">
        <img src="icon.svg" alt="" width={28} height={28} />
        <span>Dialpad</span>
      </div>
      {session && (
        <div class="account">
          <div class="account-identity">
            <span class="account-name">{session.user.username}</span>
            <span class="account-number" data-testid="my-number">
              {session.user.nationalNumber}
            </span>
          </div>
          <span
            class={`status status-${state.registration}`}
            role="status"
            data-testid="registration-status"
            data-state={state.registration}
            title={state.registrationError}
          >
            <span class="status-dot" aria-hidden="true" />
            {STATUS_TEXT[state.registration]}
          </span>
          <button type="button" class="button button-quiet" onClick={() => void endSession()}>
            Log out
          </button>
        </div>
      )}
    </header>
  );
}
