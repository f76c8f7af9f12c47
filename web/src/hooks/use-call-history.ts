// The call history for the whole home screen: the Recent tab lists it, the tab counts the missed calls not seen
// yet, the call screen names the caller from it (a number that is another user's), and a failed call's plain
// reason comes from it. Loaded at log-in, after every call and whenever asked; "seen" is kept per device.
import { createContext, h, type ComponentChildren } from 'preact';
import { useCallback, useContext, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { CallRecordView } from '../../../core/api-types';
import type { ApiError } from '../api';
import { isMissed } from '../call-outcome';
import { localSettings } from '../local-settings';
import { useAsyncAction } from './use-async-action';
import { usePhone } from './use-phone';
import { useSession } from './use-session';

export interface CallHistoryValue {
  calls: CallRecordView[] | undefined;
  pending: boolean;
  error: ApiError | undefined;
  /** Loads it again; resolves with the new list (undefined when that failed). */
  reload: () => Promise<CallRecordView[] | undefined>;
  /** Missed calls newer than the last time the Recent tab showed them. */
  unseenMissed: number;
  markSeen: () => void;
  /** The username of a peer number, as the history knows it. */
  nameOf: (peer: string) => string | undefined;
}

const HistoryContext = createContext<CallHistoryValue | undefined>(undefined);
const isTime = (value: unknown): value is string => typeof value === 'string';
const SETTLE_TRIES = 5;
const SETTLE_GAP_MS = 1_500;

export function CallHistoryProvider(props: { children: ComponentChildren }) {
  const { api, session } = useSession();
  const { state } = usePhone();
  const [calls, setCalls] = useState<CallRecordView[] | undefined>(undefined);
  const latestRef = useRef<CallRecordView[] | undefined>(undefined);
  const seenKey = `missed-seen.${session?.user.username ?? ''}`;
  const [seenAt, setSeenAt] = useState(() => localSettings.read(seenKey, isTime) ?? '');
  const load = useAsyncAction(async () => {
    latestRef.current = (await api.listCalls()).calls;
    setCalls(latestRef.current);
  });
  const reload = useCallback(async () => {
    latestRef.current = undefined;
    await load.run();
    return latestRef.current;
  }, [load]);

  // After each call ends and at log-in. The app writes a call's end when the provider tells it, which can be a
  // moment after this dialpad saw it: while a row still says ringing or connected and no call is on here, look
  // again a few times.
  const ended = state.call?.state === 'ended' ? state.call.id : undefined;
  useEffect(() => void reload(), [ended]); // eslint-disable-line react-hooks/exhaustive-deps -- on each end only
  const idle = !state.call || state.call.state === 'ended';
  const unsettled = idle && (calls ?? []).some((call) => call.state === 'ringing' || call.state === 'active');
  const retriesRef = useRef(0);
  useEffect(() => {
    if (!unsettled) {
      retriesRef.current = 0;
      return undefined;
    }
    if (retriesRef.current >= SETTLE_TRIES) return undefined;
    retriesRef.current += 1;
    const timer = setTimeout(() => void reload(), SETTLE_GAP_MS);
    return () => clearTimeout(timer);
  }, [unsettled, calls, reload]);

  const markSeen = useCallback(() => {
    const newest = latestRef.current?.[0]?.startedAt ?? '';
    if (newest <= seenAt) return;
    localSettings.write(seenKey, newest);
    setSeenAt(newest);
  }, [seenAt, seenKey]);

  const value = useMemo<CallHistoryValue>(() => {
    const names = new Map((calls ?? []).flatMap((call) => (call.peerUsername ? [[call.peer, call.peerUsername]] : [])));
    return {
      calls,
      pending: load.pending,
      error: load.error,
      reload,
      unseenMissed: (calls ?? []).filter((call) => isMissed(call) && call.startedAt > seenAt).length,
      markSeen,
      nameOf: (peer) => names.get(peer),
    };
  }, [calls, load.pending, load.error, reload, seenAt, markSeen]);
  return h(HistoryContext.Provider, { value }, props.children);
}

export function useCallHistory(): CallHistoryValue {
  const value = useContext(HistoryContext);
  if (!value) throw new Error('useCallHistory outside CallHistoryProvider');
  return value;
}
