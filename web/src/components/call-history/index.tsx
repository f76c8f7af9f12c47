// Recent calls, newest first: who (the other user's name on calls between users), when, and how each ended in
// the same words the call screen used; missed calls stand out. One tap calls the number back (or again).
import { useEffect } from 'preact/hooks';
import type { CallRecordView } from '../../../../core/api-types';
import { callCauseText } from '../../call-cause-text';
import { historyOutcome, isMissed, outcomeText } from '../../call-outcome';
import { errorText } from '../../error-text';
import { formatDuration } from '../../hooks/use-call-timer';
import { useCallHistory } from '../../hooks/use-call-history';
import { displayPeer } from '../../phone-number';
import { FieldError } from '../field-error';

const TIME_FORMAT = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function callSummary(call: CallRecordView): string {
  if (call.state === 'ringing') return 'Ringing';
  if (call.state === 'active') return 'In progress';
  const outcome = historyOutcome(call);
  // The app's own reasons (a limit reached, the longest call length) where the shared words have none.
  const appCause = outcome === 'failed' || outcome === 'completed' ? callCauseText(call.cause) : undefined;
  if (call.answeredAt && call.endedAt) {
    const duration = formatDuration(Date.parse(call.endedAt) - Date.parse(call.answeredAt));
    return appCause ? `${duration} · ${appCause}` : duration;
  }
  return appCause ?? outcomeText(outcome);
}

export function CallHistory(props: { onCall(number: string): void; canCall: boolean }) {
  const history = useCallHistory();
  const { calls, markSeen } = history;
  useEffect(() => void history.reload(), []); // eslint-disable-line react-hooks/exhaustive-deps -- fresh on open
  useEffect(() => markSeen(), [calls, markSeen]); // shown = seen

  return (
    <section class="call-history" aria-labelledby="history-title">
      <div class="section-head">
        <h2 id="history-title">Recent calls</h2>
        <button
          type="button"
          class="button button-quiet"
          onClick={() => void history.reload()}
          disabled={history.pending}
        >
          {history.pending ? 'Loading…' : 'Refresh'}
        </button>
      </div>
      <FieldError id="history-error" message={history.error && errorText(history.error)} />
      {calls && calls.length === 0 && <p class="empty">No calls yet. Calls you make and receive show up here.</p>}
      {calls && calls.length > 0 && (
        <ul class="history-list" data-testid="call-history">
          {calls.map((call) => {
            const missed = isMissed(call);
            const who = call.peerUsername ?? displayPeer(call.peer);
            const dialable = /^\+\d{7,15}$/.test(call.peer);
            return (
              <li
                key={call.callId}
                class={`history-item ${call.direction}${missed ? ' missed' : ''}`}
                data-missed={missed ? 'true' : undefined}
              >
                <span class="history-icon" aria-hidden="true">
                  {call.direction === 'inbound' ? '↙' : '↗'}
                </span>
                <span class="history-peer">
                  <span class="visually-hidden">
                    {missed ? 'Missed call from ' : call.direction === 'inbound' ? 'From ' : 'To '}
                  </span>
                  {who}
                  {call.peerUsername && <span class="history-number">{displayPeer(call.peer)}</span>}
                </span>
                <span class="history-meta">
                  <time dateTime={call.startedAt}>{TIME_FORMAT.format(new Date(call.startedAt))}</time>
                  <span class="history-outcome">{callSummary(call)}</span>
                </span>
                {dialable && (
                  <button
                    type="button"
                    class="button round button-call history-call"
                    disabled={!props.canCall}
                    aria-label={`${call.direction === 'inbound' ? 'Call back' : 'Call again'} ${who}`}
                    onClick={() => props.onCall(call.peer)}
                  >
                    ✆
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
