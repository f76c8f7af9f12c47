// The user's voicemail for the whole home screen: the Voicemail tab lists it and the tab counts the unread
// messages. Loaded at log-in, after every call, every POLL_MS while the page is visible (so a new message
// appears without a reload) and whenever asked.
import { createContext, h, type ComponentChildren } from 'preact';
import { useCallback, useContext, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { VoicemailView } from '../../../core/api-types';
import type { ApiError } from '../api';
import { useAsyncAction } from './use-async-action';
import { usePhone } from './use-phone';
import { useSession } from './use-session';

export interface VoicemailValue {
  messages: VoicemailView[] | undefined;
  unread: number;
  pending: boolean;
  error: ApiError | undefined;
  reload: () => Promise<void>;
  /** The recording as an object URL for an <audio> element (revoked when the list changes or unmounts). */
  audioUrl: (id: string) => Promise<string>;
  setRead: (id: string, read: boolean) => Promise<void>;
  remove: (id: string) => Promise<void>;
  /** The last failed play, mark or delete. */
  actionError: ApiError | undefined;
}

/** Often enough that a message left meanwhile shows within half a minute; cheap (one table query). */
export const POLL_MS = 20_000;

const VoicemailContext = createContext<VoicemailValue | undefined>(undefined);

export function VoicemailProvider(props: { children: ComponentChildren }) {
  const { api } = useSession();
  const { state, voicemailsLeft } = usePhone();
  const [messages, setMessages] = useState<VoicemailView[] | undefined>(undefined);
  const urlsRef = useRef(new Map<string, string>());
  const load = useAsyncAction(async () => setMessages((await api.listVoicemails()).voicemails));
  // Stable across renders, so the poll's timer is set once.
  const loadRef = useRef(load);
  loadRef.current = load;
  const reload = useCallback(() => loadRef.current.run(), []);

  const ended = state.call?.state === 'ended' ? state.call.id : undefined;
  // eslint-disable-next-line react-hooks/exhaustive-deps -- on each end, and each message the phone heard of
  useEffect(() => void reload(), [ended, voicemailsLeft]);
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void reload();
    }, POLL_MS);
    const onVisible = () => document.visibilityState === 'visible' && void reload();
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [reload]);
  useEffect(() => {
    const urls = urlsRef.current;
    return () => {
      for (const url of urls.values()) URL.revokeObjectURL(url);
      urls.clear();
    };
  }, []);

  const act = useAsyncAction(async (work: () => Promise<void>) => work());
  const audioUrl = useCallback(
    async (id: string) => {
      const known = urlsRef.current.get(id);
      if (known) return known;
      const url = URL.createObjectURL(await api.getVoicemailAudio(id));
      urlsRef.current.set(id, url);
      return url;
    },
    [api],
  );
  const setRead = useCallback(
    (id: string, read: boolean) =>
      act.run(async () => {
        const updated = await api.updateVoicemail(id, read);
        setMessages((list) => list?.map((m) => (m.id === id ? updated : m)));
      }),
    [act, api],
  );
  const remove = useCallback(
    (id: string) =>
      act.run(async () => {
        await api.deleteVoicemail(id);
        const url = urlsRef.current.get(id);
        if (url) URL.revokeObjectURL(url);
        urlsRef.current.delete(id);
        setMessages((list) => list?.filter((m) => m.id !== id));
      }),
    [act, api],
  );

  const value = useMemo<VoicemailValue>(
    () => ({
      messages,
      unread: (messages ?? []).filter((m) => !m.read).length,
      pending: load.pending,
      error: load.error,
      reload,
      audioUrl,
      setRead,
      remove,
      actionError: act.error,
    }),
    [messages, load.pending, load.error, reload, audioUrl, setRead, remove, act.error],
  );
  return h(VoicemailContext.Provider, { value }, props.children);
}

export function useVoicemail(): VoicemailValue {
  const value = useContext(VoicemailContext);
  if (!value) throw new Error('useVoicemail outside VoicemailProvider');
  return value;
}
