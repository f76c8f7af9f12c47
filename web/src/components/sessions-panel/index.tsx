// Where the account is logged in: each session with its device, address and times; end any of them, or all.
// Ending this one is logging out; "Log out everywhere" ends them all, this one included.
import { useEffect, useState } from 'preact/hooks';
import type { SessionView } from '../../../../core/api-types';
import { errorText } from '../../error-text';
import { useAsyncAction } from '../../hooks/use-async-action';
import { useSession } from '../../hooks/use-session';
import { FieldError } from '../field-error';

const TIME_FORMAT = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function SessionsPanel() {
  const { api, endSession, logOut } = useSession();
  const [sessions, setSessions] = useState<SessionView[] | undefined>(undefined);
  const load = useAsyncAction(async () => setSessions((await api.listSessions()).sessions));
  const end = useAsyncAction(async (session: SessionView) => {
    if (session.current) return endSession();
    await api.endSession(session.id);
    setSessions((await api.listSessions()).sessions);
  });
  const endAll = useAsyncAction(async () => {
    await api.endAllSessions();
    logOut('You are logged out everywhere.');
  });
  useEffect(() => void load.run(), []); // eslint-disable-line react-hooks/exhaustive-deps -- load once on open

  const error = load.error ?? end.error ?? endAll.error;
  return (
    <section class="account-section" aria-labelledby="sessions-title">
      <h2 id="sessions-title">Where you are logged in</h2>
      {sessions && (
        <ul class="device-list" data-testid="session-list">
          {sessions.map((session) => (
            <li key={session.id} class="device-item" data-current={session.current ? 'true' : undefined}>
              <span class="device-name">
                {session.device}
                {session.current && <span class="device-badge">This device</span>}
              </span>
              <span class="device-meta">
                {session.clientAddress === 'unknown' ? '' : `${session.clientAddress} · `}
                since {TIME_FORMAT.format(new Date(session.createdAt))}
                {session.method === 'passkey' ? ' · passkey' : ''}
              </span>
              <button
                type="button"
                class="button button-quiet"
                aria-label={session.current ? 'Log out of this device' : `Log out ${session.device}`}
                disabled={end.pending}
                onClick={() => void end.run(session)}
              >
                Log out
              </button>
            </li>
          ))}
        </ul>
      )}
      <button
        type="button"
        class="button button-secondary"
        disabled={endAll.pending || !sessions}
        onClick={() => void endAll.run()}
      >
        {endAll.pending ? 'Logging out…' : 'Log out everywhere'}
      </button>
      <FieldError id="sessions-error" message={error && errorText(error)} />
    </section>
  );
}
