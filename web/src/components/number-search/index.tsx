// Number search by area code, ZIP, or city and state. Checks the obvious mistakes before asking the
// server (which validates fully and answers `invalid-search`).
import { useState } from 'preact/hooks';
import type { NumberSearchQuery } from '../../../../core/api-types';
import { searchQueryFor, type SearchMode } from '../../number-search-query';
import { FieldError } from '../field-error';

const MODES: Array<{ mode: SearchMode; label: string }> = [
  { mode: 'areaCode', label: 'Area code' },
  { mode: 'zip', label: 'ZIP' },
  { mode: 'city', label: 'City & state' },
];

export function NumberSearch(props: {
  pending: boolean;
  serverError?: string;
  onSearch(query: NumberSearchQuery): void;
}) {
  const [mode, setMode] = useState<SearchMode>('areaCode');
  const [values, setValues] = useState({ areaCode: '', zip: '', city: '', state: '' });
  const [localError, setLocalError] = useState<string | undefined>(undefined);
  const error = localError ?? props.serverError;
  const set = (key: keyof typeof values) => (event: Event) => {
    setValues({ ...values, [key]: (event.currentTarget as HTMLInputElement).value });
    setLocalError(undefined);
  };
  const describedBy = error ? 'search-error' : undefined;

  return (
    <form
      class="number-search"
      aria-label="Search for a phone number"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        const result = searchQueryFor(mode, values);
        if (!result.ok) setLocalError(result.message);
        else props.onSearch(result.query);
      }}
    >
      <fieldset class="segmented">
        <legend>Search by</legend>
        {MODES.map((option) => (
          <label key={option.mode} class={mode === option.mode ? 'segment selected' : 'segment'}>
            <input
              type="radio"
              name="search-mode"
              value={option.mode}
              checked={mode === option.mode}
              onChange={() => {
                setMode(option.mode);
                setLocalError(undefined);
              }}
            />
            {option.label}
          </label>
        ))}
      </fieldset>
      <div class="search-row">
        {mode === 'areaCode' && (
          <div class="grow">
            <label for="search-area-code">Area code</label>
            <input
              id="search-area-code"
              inputMode="numeric"
              maxLength={3}
              placeholder="919"
              value={values.areaCode}
              onInput={set('areaCode')}
              aria-describedby={describedBy}
            />
          </div>
        )}
        {mode === 'zip' && (
          <div class="grow">
            <label for="search-zip">ZIP code</label>
            <input
              id="search-zip"
              inputMode="numeric"
              maxLength={5}
              placeholder="27513"
              autoComplete="postal-code"
              value={values.zip}
              onInput={set('zip')}
              aria-describedby={describedBy}
            />
          </div>
        )}
        {mode === 'city' && (
          <>
            <div class="grow">
              <label for="search-city">City</label>
              <input
                id="search-city"
                placeholder="Cary"
                autoComplete="address-level2"
                value={values.city}
                onInput={set('city')}
                aria-describedby={describedBy}
              />
            </div>
            <div class="state-field">
              <label for="search-state">State</label>
              <input
                id="search-state"
                maxLength={2}
                placeholder="NC"
                autoComplete="address-level1"
                value={values.state}
                onInput={set('state')}
                aria-describedby={describedBy}
              />
            </div>
          </>
        )}
        <button type="submit" class="button button-secondary" disabled={props.pending}>
          {props.pending ? 'Searching…' : 'Search'}
        </button>
      </div>
      <FieldError id="search-error" message={error} />
    </form>
  );
}
