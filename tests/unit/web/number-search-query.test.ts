import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { searchQueryFor } from '../../../web/src/number-search-query';

const empty = { areaCode: '', zip: '', city: '', state: '' };

describe('searchQueryFor', () => {
  it('builds one criterion per mode, trimmed', () => {
    assert.deepEqual(searchQueryFor('areaCode', { ...empty, areaCode: ' 919 ' }), {
      ok: true,
      query: { areaCode: '919' },
    });
    assert.deepEqual(searchQueryFor('zip', { ...empty, zip: '27513', areaCode: '919' }), {
      ok: true,
      query: { zip: '27513' },
    });
    assert.deepEqual(searchQueryFor('city', { ...empty, city: ' Cary ', state: 'nc' }), {
      ok: true,
      query: { city: 'Cary', state: 'NC' },
    });
  });

  it('explains malformed input without asking the server', () => {
    for (const [mode, values, pattern] of [
      ['areaCode', { ...empty, areaCode: '91' }, /3-digit area code/],
      ['areaCode', { ...empty, areaCode: '119' }, /^119 is not an area code: US area codes start with 2 to 9/],
      ['areaCode', { ...empty, areaCode: '000' }, /^000 is not an area code/],
      ['zip', { ...empty, zip: '2751' }, /5-digit ZIP/],
      ['city', { ...empty, state: 'NC' }, /Enter a city/],
      ['city', { ...empty, city: 'Cary', state: 'North Carolina' }, /2-letter state/],
      ['city', { ...empty, city: 'Cary', state: 'xx' }, /^XX is not a US state/],
    ] as const) {
      const result = searchQueryFor(mode, values);
      assert.equal(result.ok, false, `${mode} ${JSON.stringify(values)}`);
      assert.match((result as { message: string }).message, pattern);
    }
  });
});
