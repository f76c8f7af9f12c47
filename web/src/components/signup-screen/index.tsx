// Sign-up: choose a username, search a number, order it. The account exists only once the number is
// ordered; the server makes a repeated sign-up (refresh, double click) return the same user. The order
// carries the search result's signature (only numbers the app offered can be ordered), and the invitation
// code field appears when the server asks for one.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { NumberSearchQuery, OfferedNumberView } from '../../../../core/api-types';
import { ApiError } from '../../api';
import { errorText } from '../../error-text';
import { useAsyncAction } from '../../hooks/use-async-action';
import { useSession } from '../../hooks/use-session';
import { FieldError } from '../field-error';
import { NumberSearch } from '../number-search';

/** Catapult returns cities in upper case ("RALEIGH"); show them as people write them. */
function titleCase(text: string): string {
  return text.toLowerCase().replace(/\b\p{L}/gu, (letter) => letter.toUpperCase());
}

export function SignupScreen(props: { initialUsername?: string; reason?: string; onLogIn(username: string): void }) {
  const { api, signIn } = useSession();
  const [username, setUsername] = useState(props.initialUsername ?? '');
  const [usernameError, setUsernameError] = useState<string | undefined>(undefined);
  const [lastQuery, setLastQuery] = useState<NumberSearchQuery | undefined>(undefined);
  const [numbers, setNumbers] = useState<OfferedNumberView[] | undefined>(undefined);
  const [selected, setSelected] = useState<string | undefined>(undefined);
  const [orderNotice, setOrderNotice] = useState<string | undefined>(undefined);
  // The invitation code: asked for only once the server says sign-up needs one.
  const [codeNeeded, setCodeNeeded] = useState(false);
  const [signupCode, setSignupCode] = useState('');
  const [codeError, setCodeError] = useState<string | undefined>(undefined);
  const usernameInputRef = useRef<HTMLInputElement>(null);
  const codeInputRef = useRef<HTMLInputElement>(null);
  // Focus moves to the field that needs fixing, once the form is unlocked again.
  const [focusUsername, setFocusUsername] = useState(0);
  const [focusCode, setFocusCode] = useState(0);

  const search = useAsyncAction(async (query: NumberSearchQuery) => {
    setLastQuery(query);
    setSelected(undefined);
    setNumbers(undefined); // a failed search must not leave the previous area's numbers on screen
    const result = await api.searchNumbers(query);
    setNumbers(result.numbers);
    setSelected(result.numbers[0]?.number);
  });

  const order = useAsyncAction(async (name: string, offer: OfferedNumberView) => {
    setOrderNotice(undefined);
    try {
      const code = signupCode.trim();
      signIn(
        await api.signUp({
          username: name,
          number: offer.number,
          signature: offer.signature,
          ...(code ? { signupCode: code } : {}),
        }),
      );
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.code === 'username-taken' || error.code === 'invalid-username') {
        setUsernameError(errorText(error));
        setFocusUsername((count) => count + 1);
        return;
      }
      if (error.code === 'signup-code-required' || error.code === 'signup-code-invalid') {
        setCodeNeeded(true);
        setCodeError(errorText(error));
        setFocusCode((count) => count + 1);
        return;
      }
      const numberGone =
        error.code === 'number-unavailable' ||
        error.code === 'number-offer-expired' ||
        error.code === 'number-not-offered';
      if (numberGone && lastQuery) {
        // Taken meanwhile, or offered too long ago: show fresh numbers at once.
        setOrderNotice(errorText(error));
        await search.run(lastQuery);
        return;
      }
      throw error;
    }
  });

  useEffect(() => {
    if (focusUsername > 0 && !order.pending) usernameInputRef.current?.focus();
  }, [focusUsername, order.pending]);
  useEffect(() => {
    if (focusCode > 0 && !order.pending) codeInputRef.current?.focus();
  }, [focusCode, order.pending]);

  const chosen = numbers?.find((candidate) => candidate.number === selected);
  const submit = () => {
    const name = username.trim();
    if (!name) {
      setUsernameError('Choose a username.');
      usernameInputRef.current?.focus();
      return;
    }
    if (codeNeeded && !signupCode.trim()) {
      setCodeError('Enter your invitation code.');
      codeInputRef.current?.focus();
      return;
    }
    if (chosen) void order.run(name, chosen);
  };

  return (
    <section class="card" aria-labelledby="signup-title">
      <h1 id="signup-title">Create your account</h1>
      <p class="lead">Pick a username and a phone number. People can call you on it, and your calls show it.</p>
      {props.reason && (
        <p class="notice" role="status">
          {props.reason}
        </p>
      )}
      <div class="step">
        <span class="step-number" aria-hidden="true">
          1
        </span>
        <div class="step-body">
          <label for="signup-username">Username</label>
          <input
            id="signup-username"
            ref={usernameInputRef}
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            spellcheck={false}
            disabled={order.pending}
            value={username}
            aria-invalid={usernameError ? 'true' : undefined}
            aria-describedby={usernameError ? 'signup-username-error' : 'signup-username-hint'}
            onInput={(event) => {
              setUsername(event.currentTarget.value);
              setUsernameError(undefined);
            }}
          />
          {usernameError ? (
            <FieldError id="signup-username-error" message={usernameError} />
          ) : (
            <p id="signup-username-hint" class="hint">
              You log in with this name. Letters, digits, dots, dashes and underscores.
            </p>
          )}
        </div>
      </div>
      <div class="step">
        <span class="step-number" aria-hidden="true">
          2
        </span>
        <div class="step-body">
          <h2 class="step-title">Find a number</h2>
          <NumberSearch
            pending={search.pending}
            serverError={search.error && errorText(search.error)}
            onSearch={(query) => void search.run(query)}
          />
          {orderNotice && (
            <p class="notice notice-warning" role="status">
              {orderNotice}
            </p>
          )}
          {numbers && numbers.length === 0 && (
            <p class="empty">No numbers available there. Try a nearby area code or city.</p>
          )}
          {numbers && numbers.length > 0 && (
            <fieldset class="number-list" aria-busy={search.pending} disabled={order.pending}>
              <legend>Available numbers</legend>
              {numbers.map((candidate) => (
                <label
                  key={candidate.number}
                  class={candidate.number === selected ? 'number-option selected' : 'number-option'}
                >
                  <input
                    type="radio"
                    name="number"
                    value={candidate.number}
                    checked={candidate.number === selected}
                    onChange={() => setSelected(candidate.number)}
                  />
                  <span class="number-national">{candidate.nationalNumber}</span>
                  <span class="number-place">
                    {titleCase(candidate.city)}, {candidate.state}
                  </span>
                </label>
              ))}
            </fieldset>
          )}
        </div>
      </div>
      <div class="step">
        <span class="step-number" aria-hidden="true">
          3
        </span>
        <div class="step-body">
          {codeNeeded && (
            <>
              <label for="signup-code">Invitation code</label>
              <input
                id="signup-code"
                ref={codeInputRef}
                name="signupCode"
                autoComplete="off"
                autoCapitalize="none"
                spellcheck={false}
                disabled={order.pending}
                value={signupCode}
                aria-invalid={codeError ? 'true' : undefined}
                aria-describedby={codeError ? 'signup-code-error' : undefined}
                onInput={(event) => {
                  setSignupCode(event.currentTarget.value);
                  setCodeError(undefined);
                }}
              />
              <FieldError id="signup-code-error" message={codeError} />
            </>
          )}
          <FieldError id="order-error" message={order.error && errorText(order.error)} />
          <button
            type="button"
            class="button button-primary button-block"
            disabled={!chosen || order.pending}
            onClick={submit}
          >
            {order.pending
              ? 'Ordering your number…'
              : chosen
                ? `Get ${chosen.nationalNumber}`
                : 'Choose a number first'}
          </button>
          {order.pending && (
            <p class="progress" role="status">
              <span class="spinner" aria-hidden="true" /> Ordering the number and setting up calling. This takes a few
              seconds.
            </p>
          )}
        </div>
      </div>
      <p class="switch">
        Already have an account?{' '}
        <button type="button" class="link" onClick={() => props.onLogIn(username.trim())}>
          Log in
        </button>
      </p>
    </section>
  );
}
