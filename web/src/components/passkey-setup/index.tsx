// Right after sign-up: offer a passkey (or, where the app requires one, ask for it before anything else).
// Until an account has a passkey, anyone who knows the username can log in to it; after, only its devices can.
import { useEffect } from 'preact/hooks';
import { errorText } from '../../error-text';
import { useAsyncAction } from '../../hooks/use-async-action';
import { useSession } from '../../hooks/use-session';
import { createPasskey, passkeysSupported } from '../../passkeys';
import { FieldError } from '../field-error';

export function PasskeySetup() {
  const { session, api, updateSession, endSession } = useSession();
  const required = session?.passkeySetup === 'required';
  const supported = passkeysSupported();
  const create = useAsyncAction(async () => {
    await createPasskey(api);
    updateSession({ passkeySetup: 'none' });
  });
  // An offer this browser cannot take up is simply not made.
  useEffect(() => {
    if (!supported && !required) updateSession({ passkeySetup: 'none' });
  }, [supported, required, updateSession]);

  return (
    <section class="card narrow" aria-labelledby="passkey-title">
      <h1 id="passkey-title">{required ? 'Add a passkey to continue' : 'Protect your account with a passkey'}</h1>
      <p class="lead">
        A passkey lets you log in with this device’s fingerprint, face or screen lock. Once you have one, your username
        alone no longer opens your account, and anyone logged in with just your username is logged out.
      </p>
      {!supported ? (
        <p class="notice notice-warning" role="status">
          This browser cannot create passkeys, and this app requires one. Open the dialpad in a browser that supports
          passkeys.
        </p>
      ) : (
        <button
          type="button"
          class="button button-primary button-block"
          disabled={create.pending}
          onClick={() => void create.run()}
        >
          {create.pending ? 'Waiting for your device…' : 'Create a passkey'}
        </button>
      )}
      <FieldError id="passkey-setup-error" message={create.error && errorText(create.error)} />
      <p class="switch">
        {required ? (
          <button type="button" class="link" onClick={() => void endSession()}>
            Log out
          </button>
        ) : (
          <button type="button" class="link" onClick={() => updateSession({ passkeySetup: 'none' })}>
            Not now
          </button>
        )}
      </p>
    </section>
  );
}
