// Session context: who is logged in, the API client bound to their tokens, and log-in/log-out.
// The access token lives minutes; on a 401 the client trades the refresh token for a new one (one refresh at a
// time, shared by every request that needs it). A refresh the server refuses means the session ended (logged out
// elsewhere, "log out everywhere", a passkey added on another device): then the app logs out and says why.
import { createContext, h, type ComponentChildren } from 'preact';
import { useCallback, useContext, useMemo, useRef, useState } from 'preact/hooks';
import type { ClientConfig, SessionResponse } from '../../../core/api-types';
import { ApiError, createApiClient, type ApiClient } from '../api';
import { browserStorage, createSessionStore } from '../session-store';

export interface SessionContextValue {
  session: SessionResponse | undefined;
  api: ApiClient;
  /** Stores the session from sign-up or log-in. */
  signIn: (session: SessionResponse) => void;
  /** Forgets the session here only; `notice` is shown on the log-in screen (e.g. "Your session ended"). */
  logOut: (notice?: string) => void;
  /** Ends the session on the server, then here (the "Log out" button). */
  endSession: () => Promise<void>;
  /** Changes what the app remembers of the session (e.g. the passkey offer was answered). */
  updateSession: (changes: Partial<Pick<SessionResponse, 'passkeySetup'>>) => void;
  /** Message for the log-in screen after an automatic log-out. */
  notice: string | undefined;
  /** The username of the last session in this tab, to pre-fill the log-in form. */
  lastUsername: string | undefined;
}

const SessionContext = createContext<SessionContextValue | undefined>(undefined);

const ENDED = 'Your session has ended. Please log in again.';

export function SessionProvider(props: { config: ClientConfig; children: ComponentChildren }) {
  const store = useMemo(() => createSessionStore(browserStorage()), []);
  const [session, setSession] = useState(() => store.load());
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const [lastUsername, setLastUsername] = useState<string | undefined>(undefined);
  // A ref, so the API client and log-out stay the same objects for the whole page life; the access token is
  // replaced there on every refresh without re-rendering (nothing on screen depends on it).
  const sessionRef = useRef(session);
  const refreshingRef = useRef<Promise<boolean> | undefined>(undefined);

  const logOut = useCallback(
    (message?: string) => {
      store.clear();
      if (sessionRef.current) setLastUsername(sessionRef.current.user.username);
      sessionRef.current = undefined;
      setSession(undefined);
      setNotice(message);
    },
    [store],
  );
  const signIn = useCallback(
    (next: SessionResponse) => {
      store.save(next);
      sessionRef.current = next;
      setNotice(undefined);
      setSession(next);
    },
    [store],
  );
  const updateSession = useCallback(
    (changes: Partial<Pick<SessionResponse, 'passkeySetup'>>) => {
      if (!sessionRef.current) return;
      const next = { ...sessionRef.current, ...changes };
      store.save(next);
      sessionRef.current = next;
      setSession(next);
    },
    [store],
  );

  const api = useMemo(() => {
    const client: ApiClient = createApiClient({
      baseUrl: props.config.apiBaseUrl,
      getToken: () => sessionRef.current?.token,
      refreshToken: () => {
        refreshingRef.current ??= refresh(client).finally(() => (refreshingRef.current = undefined));
        return refreshingRef.current;
      },
      onUnauthorized: () => {
        if (sessionRef.current) logOut(ENDED);
      },
    });
    /** True with a new access token; false when the server refused the refresh token (the session ended). */
    const refresh = async (apiClient: ApiClient): Promise<boolean> => {
      const current = sessionRef.current;
      if (!current) return false;
      try {
        const { token, expiresAt } = await apiClient.refreshSession(current.refreshToken);
        if (sessionRef.current?.sessionId !== current.sessionId) return false; // logged out meanwhile
        sessionRef.current = { ...current, token, expiresAt };
        store.save(sessionRef.current);
        return true;
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return false;
        throw error; // offline or the server failing: the request fails with it, the session stays
      }
    };
    return client;
  }, [props.config.apiBaseUrl, logOut, store]);

  const endSession = useCallback(async () => {
    try {
      await api.endSession('current');
    } catch {
      // Offline or already ended: the session is forgotten here anyway; the list on another device can end it.
    }
    logOut();
  }, [api, logOut]);

  const value = useMemo(
    () => ({ session, api, signIn, logOut, endSession, updateSession, notice, lastUsername }),
    [session, api, signIn, logOut, endSession, updateSession, notice, lastUsername],
  );
  return h(SessionContext.Provider, { value }, props.children);
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}
