// The account's passkeys: add one (a second one needs a fresh confirmation with an existing one), remove one
// (always needs that confirmation). Adding the first logs out every session that used only the username.
import { useEffect, useState } from 'preact/hooks';
import type { PasskeyListResponse } from '../../../../core/api-types';
import { errorText } from '../../error-text';
import { useAsyncAction } from '../../hooks/use-async-action';
import { useSession } from '../../hooks/use-session';
import { createPasskey, passkeysSupported, withStepUp } from '../../passkeys';
import { FieldError } from '../field-error';

const DATE_FORMAT = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

export function PasskeysPanel() {
  const { api } = useSession();
  const [list, setList] = useState<PasskeyListResponse | undefined>(undefined);
  const load = useAsyncAction(async () => setList(await api.listPasskeys()));
  const add = useAsyncAction(async () => {
    await withStepUp(api, () => createPasskey(api));
    setList(await api.listPasskeys());
  });
  const remove = useAsyncAction(async (id: string) => {
    await withStepUp(api, () => api.removePasskey(id));
    setList(await api.listPasskeys());
  });
  useEffect(() => void load.run(), []); // eslint-disable-line react-hooks/exhaustive-deps -- load once on open

  if (list && !list.available) return null; // passkeys are not set up on this server
  const error = load.error ?? add.error ?? remove.error;
  return (
    <section class="account-section" aria-labelledby="passkeys-title">
      <h2 id="passkeys-title">Passkeys</h2>
      {list && list.passkeys.length === 0 && (
        <p class="lead">
          Anyone who knows your username can log in to your account. Add a passkey so that only your devices can.
        </p>
      )}
      {list && list.passkeys.length > 0 && (
        <ul class="device-list" data-testid="passkey-list">
          {list.passkeys.map((passkey) => (
            <li key={passkey.id} class="device-item">
              <span class="device-name">{passkey.name}</span>
              <span class="device-meta">
                Added {DATE_FORMAT.format(new Date(passkey.createdAt))}
                {passkey.lastUsedAt ? `, last used ${DATE_FORMAT.format(new Date(passkey.lastUsedAt))}` : ''}
              </span>
              <button
                type="button"
                class="button button-quiet"
                aria-label={`Remove the passkey from ${passkey.name}`}
                disabled={remove.pending}
                onClick={() => void remove.run(passkey.id)}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      {list && passkeysSupported() && (
        <button type="button" class="button button-secondary" disabled={add.pending} onClick={() => void add.run()}>
          {add.pending
            ? 'Waiting for your device…'
            : list.passkeys.length === 0
              ? 'Add a passkey'
              : 'Add another passkey'}
        </button>
      )}
      <FieldError id="passkeys-error" message={error && errorText(error)} />
    </section>
  );
}
