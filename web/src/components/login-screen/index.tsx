// Log-in by username. An account with a passkey asks for it (the browser's prompt opens right away); an
// unknown username goes to sign-up with the name filled in; nothing is ever created from here. Where the
// browser can, "Log in with a passkey" skips the username: the browser offers the passkeys it holds here.
import { useState } from 'preact/hooks';
import { useAsyncAction } from '../../hooks/use-async-action';
import { useSession } from '../../hooks/use-session';
import { ApiError } from '../../api';
import { errorText } from '../../error-text';
import { logInWithPasskey, passkeysSupported } from '../../passkeys';
import { FieldError } from '../field-error';

export function LoginScreen(props: { initialUsername?: string; onSignUp(username: string, reason?: string): void }) {
  const { api, signIn, notice, lastUsername } = useSession();
  const [username, setUsername] = useState(props.initialUsername ?? lastUsername ?? '');
  const logIn = useAsyncAction(async (name: string) => {
    try {
      signIn(await api.logIn({ username: name }));
    } catch (error) {
      if (error instanceof ApiError && error.code === 'user-not-found') {
        props.onSignUp(name, `There is no account named “${name}” yet. Create it below.`);
        return;
      }
      if (error instanceof ApiError && error.code === 'passkey-required') {
        signIn(await logInWithPasskey(api, name));
        return;
      }
      throw error;
    }
  });
  const withPasskey = useAsyncAction(async () => signIn(await logInWithPasskey(api)));
  const pending = logIn.pending || withPasskey.pending;
  const error = logIn.error ?? withPasskey.error;

  return (
    <section class="card narrow" aria-labelledby="login-title">
      <h1 id="login-title">Log in</h1>
      <p class="lead">Call any phone number from your browser with your own number.</p>
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      <form
        onSubmit={(event) => {
          event.preventDefault();
          const name = username.trim();
          if (name) void logIn.run(name);
        }}
        noValidate
      >
        <label for="login-username">Username</label>
        <input
          id="login-username"
          name="username"
          autoComplete="username"
          autoCapitalize="none"
          spellcheck={false}
          required
          value={username}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? 'login-error' : undefined}
          onInput={(event) => setUsername(event.currentTarget.value)}
        />
        <FieldError id="login-error" message={error && errorText(error)} />
        <button type="submit" class="button button-primary button-block" disabled={pending || !username.trim()}>
          {logIn.pending ? 'Logging in…' : 'Log in'}
        </button>
      </form>
      {passkeysSupported() && (
        <button
          type="button"
          class="button button-secondary button-block passkey-login"
          disabled={pending}
          onClick={() => void withPasskey.run()}
        >
          {withPasskey.pending ? 'Waiting for your device…' : 'Log in with a passkey'}
        </button>
      )}
      <p class="switch">
        New here?{' '}
        <button type="button" class="link" onClick={() => props.onSignUp(username.trim())}>
          Create an account
        </button>
      </p>
    </section>
  );
}
