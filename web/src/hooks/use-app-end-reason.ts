// After an outbound call ends, asks the history whether the app refused or ended it (a limit, a number type):
// the phone only saw the far end hang up, and the person should read why.
import { useEffect, useState } from 'preact/hooks';
import { appEndText } from '../call-cause-text';
import type { CallInfo } from '../phone/phone';
import { useSession } from './use-session';

export function useAppEndReason(call: CallInfo | undefined): string | undefined {
  const { api } = useSession();
  const [reason, setReason] = useState<{ callId: string; text?: string }>();
  const ended = call?.state === 'ended' && call.direction === 'outbound' ? call : undefined;
  useEffect(() => {
    if (!ended) return undefined;
    let current = true;
    api
      .listCalls()
      .then(({ calls }) => current && setReason({ callId: ended.id, text: appEndText(ended, calls) }))
      .catch(() => undefined); // the phone's own reason stays
    return () => {
      current = false;
    };
  }, [ended?.id, api]); // eslint-disable-line react-hooks/exhaustive-deps -- once per ended call
  return ended && reason?.callId === ended.id ? reason.text : undefined;
}
