// Recent calls from GET /api/me/calls, newest first.
import { useEffect, useState } from 'preact/hooks';
import type { CallRecordView } from '../../../../core/api-types';
import { callCauseText } from '../../call-cause-text';
import { errorText } from '../../error-text';
import { formatDuration } from '../../hooks/use-call-timer';
import { useAsyncAction } from '../../hooks/use-async-action';
import { useSession } from '../../hooks/use-session';
import { displayPeer } from '../../phone-number';
import { FieldError } from '../field-error';

const TIME_FORMAT = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function callSummary(call: CallRecordView): string {
  if (call.state === 'ringing') return 'Ringing';
  if (call.state === 'active') return 'In progress';
  const appCause = callCauseText(call.cause);
  if (call.answeredAt && call.endedAt) {
    const duration = formatDuration(Date.parse(call.endedAt) - Date.parse(call.answeredAt));
    return appCause ? `${duration} · ${appCause}` : duration;
  }
  if (appCause) return appCause;
  if (call.state === 'failed') return call.cause ? `Failed (${call.cause.toLowerCase().replace(/_/g, ' ')})` : 'Failed';
  return call.direction === 'inbound' ? 'Missed' : 'Not answered';
}

export function CallHistory() {
  const { api } = useSession();
  const [calls, setCalls] = useState<CallRecordView[] | undefined>(undefined);
  const load = useAsyncAction(async () => setCalls((await api.listCalls()).calls));
  useEffect(() => void load.run(), []); // eslint-disable-line react-hooks/exhaustive-deps -- load once on open

  return (
    <section class="call-history" aria-labelledby="history-title">
      <div class="section-head">
        <h2 id="history-title">Recent calls</h2>
        <button type="button" class="button button-quiet" onClick={() => void load.run()} disabled={load.pending}>
          {load.pending ? 'Loading…' : 'Refresh'}
        </button>
      </div>
      <FieldError id="history-error" message={load.error && errorText(load.error)} />
      {calls && calls.length === 0 && <p class="empty">No calls yet. Calls you make and receive show up here.</p>}
      {calls && calls.length > 0 && (
        <ul class="history-list" data-testid="call-history">
          {calls.map((call) => (
            <li key={call.callId} class={`history-item ${call.direction}`}>
              <span class="history-icon" aria-hidden="true">
                {call.direction === 'inbound' ? '↙' : '↗'}
              </span>
              <span class="history-peer">
                <span class="visually-hidden">{call.direction === 'inbound' ? 'From ' : 'To '}</span>
                {displayPeer(call.peer)}
              </span>
              <span class="history-meta">
                <time dateTime={call.startedAt}>{TIME_FORMAT.format(new Date(call.startedAt))}</time>
                <span>{callSummary(call)}</span>
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
