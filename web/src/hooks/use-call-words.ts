// What the call screen says about a call: who the other party is (the provider's word, else the history's
// username for that number) and, once it ended, why, in the words the history uses. The network often says no
// more than "not completed" about a refused or failed call, and on Bandwidth, whose platform answers the caller's
// leg before it rings the far end, a busy far end looks like a hang-up; the app's history knows the cause, so the
// screen asks it (the row is written before the app ends the caller's leg).
import { useEffect, useState } from 'preact/hooks';
import { historyMayTellBetter, historyVerdict, outcomeText } from '../call-outcome';
import type { CallInfo } from '../phone/phone';
import { useCallHistory } from './use-call-history';

const LOOKUP_TRIES = 4;
const LOOKUP_GAP_MS = 700;
const SAME_CALL_MS = 120_000; // clocks of the browser and the server may differ a little

export function usePeerName(call: CallInfo | undefined): string | undefined {
  const history = useCallHistory();
  const known = call && (call.peerName ?? history.nameOf(call.peer));
  const lookFor = call && !known && /^\+\d{7,15}$/.test(call.peer) && call.state !== 'ended' ? call.id : undefined;
  useEffect(() => {
    if (!lookFor) return undefined;
    // A call between users is in the history as it rings; the row may be written a moment after the ring.
    void history.reload();
    const again = setTimeout(() => void history.reload(), 1_500);
    return () => clearTimeout(again);
  }, [lookFor]); // eslint-disable-line react-hooks/exhaustive-deps -- once per call
  return known;
}

/**
 * The words for how `call` ended, and whether the far end ever answered (false when the history says it did not,
 * though the platform answered the caller's leg: then no talk time belongs beside the words).
 */
export function useOutcomeText(call: CallInfo | undefined): { text: string; farEndAnswered: boolean } | undefined {
  const history = useCallHistory();
  const [refined, setRefined] = useState<{ id: string; text: string } | undefined>(undefined);
  const id = call && historyMayTellBetter(call) ? call.id : undefined;
  useEffect(() => {
    if (!id || !call) return undefined;
    let cancelled = false;
    let pause: ReturnType<typeof setTimeout> | undefined;
    void (async () => {
      for (let attempt = 0; attempt < LOOKUP_TRIES && !cancelled; attempt++) {
        if (attempt > 0) await new Promise((resolve) => (pause = setTimeout(resolve, LOOKUP_GAP_MS)));
        const record = (await history.reload())?.find(
          (row) =>
            row.direction === 'outbound' &&
            row.peer === call.peer &&
            Math.abs(Date.parse(row.startedAt) - call.startedAt) < SAME_CALL_MS,
        );
        const verdict = record && historyVerdict(record);
        if (!verdict || cancelled) continue;
        if (verdict.kind === 'settled') setRefined({ id, text: outcomeText(verdict.outcome) });
        return;
      }
    })();
    return () => {
      cancelled = true;
      clearTimeout(pause);
    };
  }, [id]); // eslint-disable-line react-hooks/exhaustive-deps -- once per ended call
  if (!call || call.state !== 'ended') return undefined;
  return refined?.id === call.id
    ? { text: refined.text, farEndAnswered: false }
    : { text: outcomeText(call.outcome), farEndAnswered: true };
}
