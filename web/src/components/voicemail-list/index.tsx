// Voicemail, newest first: who called, when, how long; unread messages stand out. Play fetches the recording
// (an authenticated download) into an <audio> player and marks the message read; mark read/unread; delete.
import { useEffect, useState } from 'preact/hooks';
import type { VoicemailView } from '../../../../core/api-types';
import { ApiError } from '../../api';
import { errorText } from '../../error-text';
import { formatDuration } from '../../hooks/use-call-timer';
import { useVoicemail } from '../../hooks/use-voicemail';
import { displayPeer } from '../../phone-number';
import { FieldError } from '../field-error';
import { VoicemailGreeting } from '../voicemail-greeting';

const TIME_FORMAT = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function Message(props: { message: VoicemailView }) {
  const voicemail = useVoicemail();
  const { message } = props;
  const [src, setSrc] = useState<string | undefined>(undefined);
  const [loading, setLoading] = useState(false);
  const [playError, setPlayError] = useState<ApiError | undefined>(undefined);
  const who = displayPeer(message.from);

  const play = async () => {
    setLoading(true);
    setPlayError(undefined);
    try {
      setSrc(await voicemail.audioUrl(message.id));
      if (!message.read) await voicemail.setRead(message.id, true);
    } catch (error) {
      setPlayError(error instanceof ApiError ? error : new ApiError('internal-error', 'Could not play the message.'));
    } finally {
      setLoading(false);
    }
  };

  return (
    <li
      class={`voicemail-item${message.read ? '' : ' unread'}`}
      data-testid="voicemail-item"
      data-unread={message.read ? undefined : 'true'}
    >
      <span class="voicemail-peer">
        <span class="visually-hidden">{message.read ? 'Message from ' : 'New message from '}</span>
        {who}
      </span>
      <span class="voicemail-meta">
        <time dateTime={message.receivedAt}>{TIME_FORMAT.format(new Date(message.receivedAt))}</time>
        <span class="voicemail-length">{formatDuration(message.durationSeconds * 1000)}</span>
      </span>
      <span class="voicemail-actions">
        <button type="button" class="button" disabled={loading} onClick={() => void play()}>
          {loading ? 'Loading…' : 'Play'}
          <span class="visually-hidden"> message from {who}</span>
        </button>
        <button
          type="button"
          class="button button-quiet"
          onClick={() => void voicemail.setRead(message.id, !message.read)}
        >
          {message.read ? 'Mark unread' : 'Mark read'}
          <span class="visually-hidden"> message from {who}</span>
        </button>
        <button type="button" class="button button-quiet" onClick={() => void voicemail.remove(message.id)}>
          Delete
          <span class="visually-hidden"> message from {who}</span>
        </button>
      </span>
      {src && <audio class="voicemail-player" controls autoPlay src={src} data-testid="voicemail-player" />}
      <FieldError id={`voicemail-error-${message.id}`} message={playError && errorText(playError)} />
    </li>
  );
}

export function VoicemailList() {
  const voicemail = useVoicemail();
  const { messages } = voicemail;
  useEffect(() => void voicemail.reload(), []); // eslint-disable-line react-hooks/exhaustive-deps -- fresh on open

  return (
    <section class="voicemail" aria-labelledby="voicemail-title">
      <div class="section-head">
        <h2 id="voicemail-title">Voicemail</h2>
        <button
          type="button"
          class="button button-quiet"
          onClick={() => void voicemail.reload()}
          disabled={voicemail.pending}
        >
          {voicemail.pending ? 'Loading…' : 'Refresh'}
        </button>
      </div>
      <FieldError
        id="voicemail-error"
        message={
          (voicemail.error && errorText(voicemail.error)) ?? (voicemail.actionError && errorText(voicemail.actionError))
        }
      />
      <VoicemailGreeting />
      {messages && messages.length === 0 && (
        <p class="empty">No messages. Callers you miss can leave one after the tone.</p>
      )}
      {messages && messages.length > 0 && (
        <ul class="voicemail-list" data-testid="voicemail-list">
          {messages.map((message) => (
            <Message key={message.id} message={message} />
          ))}
        </ul>
      )}
    </section>
  );
}
