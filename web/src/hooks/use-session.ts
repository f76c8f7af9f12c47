// Session context: who is logged in, the API client bound to their token, and log-in/log-out.
// A 401 from any authenticated request logs out cleanly and tells the log-in screen why.
import { createContext, h, type ComponentChildren } from 'preact';
import { useCallback, useContext, useMemo, useRef, useState } from 'preact/hooks';
import type { ClientConfig, SessionResponse } from '../../../core/api-types';
import { createApiClient, type ApiClient } from '../api';
import { browserStorage, createSessionStore } from '../session-store';

export interface SessionContextValue {
  session: SessionResponse | undefined;
  api: ApiClient;
  /** Stores the session from sign-up or log-in. */
  signIn: (session: SessionResponse) => void;
  /** Forgets the session; `notice` is shown on the log-in screen (e.g. "Your session expired"). */
  logOut: (notice?: string) => void;
  /** Message for the log-in screen after an automatic log-out. */
  notice: string | undefined;
  /** The username of the last session in this tab, to pre-fill the log-in form. */
  lastUsername: string | undefined;
}

const SessionContext = createContext<SessionContextValue | undefined>(undefined);

export function SessionProvider(props: { config: ClientConfig; children: ComponentChildren }) {
  const store = useMemo(() => createSessionStore(browserStorage()), []);
  const [session, setSession] = useState(() => store.load());
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const [lastUsername, setLastUsername] = useState<string | undefined>(undefined);
  // Refs, so the API client and log-out stay the same objects for the whole page life.
  const tokenRef = useRef(session?.token);
  const usernameRef = useRef(session?.user.username);

  const logOut = useCallback(
    (message?: string) => {
      store.clear();
      tokenRef.current = undefined;
      if (usernameRef.current) setLastUsername(usernameRef.current);
      usernameRef.current = undefined;
      setSession(undefined);
      setNotice(message);
    },
    [store],
  );
  const signIn = useCallback(
    (next: SessionResponse) => {
      store.save(next);
      tokenRef.current = next.token;
      usernameRef.current = next.user.username;
      setNotice(undefined);
      setSession(next);
    },
    [store],
  );
  const api = useMemo(
    () =>
      createApiClient({
        baseUrl: props.config.apiBaseUrl,
        getToken: () => tokenRef.current,
        onUnauthorized: () => {
          if (tokenRef.current) logOut('Your session has expired. Please log in again.');
        },
      }),
    [props.config.apiBaseUrl, logOut],
  );

  const value = useMemo(
    () => ({ session, api, signIn, logOut, notice, lastUsername }),
    [session, api, signIn, logOut, notice, lastUsername],
  );
  return h(SessionContext.Provider, { value }, props.children);
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}
