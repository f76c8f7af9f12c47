// The dialpad's words for the causes the app records when it refuses or ends a user's call, and how it finds
// the history row of the call that just ended.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { CallRecordView } from '../../../core/api-types';
import { appEndText, callCauseText } from '../../../web/src/call-cause-text';

/** The causes docs/api.md lists for calls that reach a user's history (the last row of its table has none). */
function documentedCauses(): string[] {
  const api = readFileSync(path.join(__dirname, '../../../docs/api.md'), 'utf8');
  const table = api.slice(api.indexOf('| cause | the call was |'));
  const rows = table.split('\n').slice(2);
  const causes: string[] = [];
  for (const row of rows) {
    if (!row.startsWith('|')) break;
    if (row.includes('no history row')) continue;
    causes.push(...[...row.split('|')[1]!.matchAll(/`([a-z-]+)`/g)].map((m) => m[1]!));
  }
  return causes;
}

describe('call causes in plain words', () => {
  it('every cause a user can find in their history has its own text', () => {
    const causes = documentedCauses();
    assert.ok(causes.length >= 12, causes.join(', '));
    const texts = new Set<string>();
    for (const cause of causes) {
      const text = callCauseText(cause);
      assert.ok(text, `no text for ${cause}`);
      texts.add(text);
    }
    assert.equal(texts.size, causes.length, 'each cause says something different');
  });

  it('provider causes and inherited names are left to the caller', () => {
    assert.equal(callCauseText('NORMAL_CLEARING'), undefined);
    assert.equal(callCauseText('toString'), undefined);
    assert.equal(callCauseText(undefined), undefined);
  });

  it('finds the ended outbound call’s row by its start time, not an older one', () => {
    const started = Date.parse('2026-11-26T10:00:00Z');
    const row = (cause: string, at: string, direction: CallRecordView['direction'] = 'outbound'): CallRecordView => ({
      callId: `c-${at}`,
      direction,
      peer: '+15002345678',
      state: 'failed',
      startedAt: at,
      cause,
    });
    const history = [
      row('concurrent-call-limit', '2026-11-26T10:00:30Z', 'inbound'),
      row('daily-minutes-limit', '2026-11-26T10:00:01Z'),
      row('hourly-call-limit', '2026-11-26T09:00:00Z'),
    ];
    assert.match(appEndText({ direction: 'outbound', startedAt: started }, history) ?? '', /minutes for today/);
    // A cause the shared outcome words cover is left to them (call-outcome.ts).
    const refused = [row('number-type-not-allowed', '2026-11-26T10:00:01Z')];
    assert.equal(appEndText({ direction: 'outbound', startedAt: started }, refused), undefined);
    assert.equal(appEndText({ direction: 'outbound', startedAt: started + 3_600_000 }, history), undefined);
    assert.equal(appEndText({ direction: 'inbound', startedAt: started }, history), undefined);
  });
});
