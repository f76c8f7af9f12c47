// SIP credentials for a softphone. Fetched only on an explicit action and dropped when hidden,
// so the password is never on screen (or in memory) unless the person asked for it. On an account with a
// passkey the server asks for a fresh confirmation first (withStepUp). "New password" rotates it: every
// softphone using the old one stops registering.
import { useState } from 'preact/hooks';
import type { SipCredentialsView } from '../../../../core/api-types';
import { errorText } from '../../error-text';
import { useAsyncAction } from '../../hooks/use-async-action';
import { useSession } from '../../hooks/use-session';
import { withStepUp } from '../../passkeys';
import { FieldError } from '../field-error';

const FIELDS: Array<{ key: keyof SipCredentialsView; label: string }> = [
  { key: 'sipUri', label: 'SIP URI' },
  { key: 'username', label: 'Username' },
  { key: 'password', label: 'Password' },
  { key: 'realm', label: 'Domain / realm' },
  { key: 'websocketUrl', label: 'WebSocket server' },
];

function CopyButton(props: { value: string; label: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      class="button button-quiet copy"
      aria-label={`Copy ${props.label}`}
      onClick={() => {
        void navigator.clipboard?.writeText(props.value).then(
          () => {
            setCopied(true);
            setTimeout(() => setCopied(false), 1500);
          },
          () => setCopied(false),
        );
      }}
    >
      {copied ? 'Copied' : 'Copy'}
    </button>
  );
}

export function SipCredentials() {
  const { api } = useSession();
  const [credentials, setCredentials] = useState<SipCredentialsView | undefined>(undefined);
  const show = useAsyncAction(async () => setCredentials(await withStepUp(api, () => api.getSipCredentials())));
  const rotate = useAsyncAction(async () => setCredentials(await withStepUp(api, () => api.rotateSipPassword())));
  // Some providers give users no SIP account (the API says so with its own code): say it plainly, as no error.
  const unavailable = show.error?.code === 'sip-account-unavailable' ? show.error : undefined;
  const error = (unavailable ? undefined : show.error) ?? rotate.error;

  return (
    <section class="sip-credentials" aria-labelledby="sip-title">
      <h2 id="sip-title">SIP account</h2>
      <p class="lead">
        Use these with any SIP softphone to make and take calls on your number. Keep the password private.
      </p>
      {unavailable ? (
        <p class="notice" data-testid="sip-account-unavailable">
          {unavailable.message} This dialpad calls with a short-lived token instead, so there are no SIP credentials to
          copy into another softphone.
        </p>
      ) : credentials ? (
        <>
          <dl class="credentials" data-testid="sip-credentials">
            {FIELDS.map((field) => (
              <div class="credential" key={field.key}>
                <dt>{field.label}</dt>
                <dd>
                  <code>{credentials[field.key]}</code>
                  <CopyButton value={credentials[field.key]} label={field.label} />
                </dd>
              </div>
            ))}
          </dl>
          {credentials.websocketUrl.startsWith('ws://') && (
            <p class="hint" data-testid="sip-ws-note">
              This WebSocket server is unencrypted (ws://), as on a local test network: browsers on this machine can use
              it, but desktop and mobile softphones generally need a TLS server (wss://, or SIP over TLS), which a real
              deployment gives.
            </p>
          )}
          <div class="button-row">
            <button type="button" class="button button-secondary" onClick={() => setCredentials(undefined)}>
              Hide credentials
            </button>
            <button
              type="button"
              class="button button-secondary"
              onClick={() => void rotate.run()}
              disabled={rotate.pending}
            >
              {rotate.pending ? 'Changing…' : 'New password'}
            </button>
          </div>
          <p class="hint">A new password stops every softphone that uses the old one.</p>
        </>
      ) : (
        <button type="button" class="button button-secondary" onClick={() => void show.run()} disabled={show.pending}>
          {show.pending ? 'Loading…' : 'Show SIP credentials'}
        </button>
      )}
      <FieldError id="sip-error" message={error && errorText(error)} />
    </section>
  );
}
