// How a call ended, in the same plain words on the live screen (JsSIP's causes) and in the history (the
// provider's causes and the app's refusal reasons), and which history rows are missed calls.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CallRecordView } from '../../../core/api-types';
import {
  historyMayTellBetter,
  historyOutcome,
  historyVerdict,
  isMissed,
  outcomeText,
} from '../../../web/src/call-outcome';
import type { CallInfo } from '../../../web/src/phone/call-state';
import { endOutcome } from '../../../web/src/phone/end-reason';

const call = (direction: CallInfo['direction']): CallInfo => ({
  id: 'x',
  direction,
  peer: '+19195550100',
  state: 'ended',
  startedAt: 0,
  muted: false,
  held: false,
  remoteHeld: false,
});
const live = (cause: string | undefined, originator: string, direction: CallInfo['direction'] = 'outbound') =>
  outcomeText(endOutcome(cause, originator, call(direction)));
const record = (fields: Partial<CallRecordView>): CallRecordView => ({
  callId: 'c-1',
  direction: 'outbound',
  peer: '+19195550100',
  state: 'failed',
  startedAt: '2026-11-26T10:00:00Z',
  endedAt: '2026-11-26T10:00:09Z',
  ...fields,
});
const history = (fields: Partial<CallRecordView>) => outcomeText(historyOutcome(record(fields)));

describe('call outcomes in plain words', () => {
  it('says who hung up, and tells missed from cancelled', () => {
    assert.equal(live('Terminated', 'local'), 'You hung up');
    assert.equal(live('BYE', 'remote'), 'The other side hung up');
    assert.equal(live('Canceled', 'remote', 'inbound'), 'Missed call');
    assert.equal(live('Canceled', 'local'), 'Cancelled');
  });

  it('uses the same words live and in the history for each failure', () => {
    const same: Array<[string, string, Partial<CallRecordView>]> = [
      ['Busy', 'Busy', { cause: 'USER_BUSY' }],
      ['Rejected', 'Declined', { cause: 'CALL_REJECTED' }],
      ['No Answer', 'No answer', { cause: 'NO_ANSWER' }],
      ['Not Found', 'Number not reachable', { cause: 'UNALLOCATED_NUMBER' }],
      ['Address Incomplete', 'Not a valid number', { cause: 'invalid-number' }],
    ];
    for (const [cause, words, row] of same) {
      assert.equal(live(cause, 'remote'), words, cause);
      assert.equal(history(row), words, JSON.stringify(row));
    }
    assert.equal(history({ cause: 'premium-rate' }), 'Calls to premium-rate numbers are blocked');
    assert.equal(history({ cause: 'blocked-country' }), 'Calls to that country are not allowed');
    assert.equal(history({ cause: 'self-call' }), 'That is your own number');
    assert.equal(history({ cause: 'busy' }), 'Busy', 'Bandwidth’s lower-case causes too');
    assert.equal(history({ cause: 'timeout' }), 'No answer');
  });

  it('calls a dial string the network cannot find not a valid number when it was no whole number', () => {
    const dialled = (peer: string) => outcomeText(endOutcome('Not Found', 'remote', { ...call('outbound'), peer }));
    assert.equal(dialled('12345'), 'Not a valid number', 'Bandwidth’s gateway refuses it before the app');
    assert.equal(dialled('+19195550100'), 'Number not reachable');
    assert.equal(
      outcomeText(endOutcome('Not Found', 'remote', { ...call('inbound'), peer: '12345' })),
      'Number not reachable',
    );
  });

  it('never shows telco jargon: an unknown cause is "Call failed", a vague network answer too', () => {
    assert.equal(history({ cause: 'NORMAL_TEMPORARY_FAILURE' }), 'Call failed');
    assert.equal(history({ cause: 'transfer-failed' }), 'Call failed');
    assert.equal(live('Unavailable', 'remote'), 'Call failed');
    assert.equal(live('Something New', 'system'), 'Call failed');
    assert.equal(live('User Denied Media Access', 'local'), 'Microphone access was denied');
  });

  it('reads an answered call as completed and one still going as undefined', () => {
    assert.equal(historyOutcome(record({ state: 'completed', answeredAt: '2026-11-26T10:00:02Z' })), 'completed');
    assert.equal(historyOutcome(record({ state: 'ringing', endedAt: undefined })), undefined);
    assert.equal(historyOutcome(record({ state: 'active', answeredAt: '2026-11-26T10:00:02Z' })), undefined);
  });

  it('counts a call to the user nobody answered as missed, but not one they declined or took', () => {
    const inbound = (fields: Partial<CallRecordView>) => isMissed(record({ direction: 'inbound', ...fields }));
    assert.equal(inbound({ cause: 'NORMAL_CLEARING' }), true, 'the caller gave up');
    assert.equal(inbound({ cause: 'NO_ANSWER' }), true);
    assert.equal(inbound({ cause: 'USER_BUSY' }), true, 'busy on another call');
    assert.equal(inbound({ cause: 'CALL_REJECTED' }), false, 'declined');
    assert.equal(inbound({ state: 'completed', answeredAt: '2026-11-26T10:00:02Z' }), false);
    assert.equal(inbound({ state: 'ringing' }), false, 'still ringing');
    assert.equal(isMissed(record({ cause: 'NO_ANSWER' })), false, 'outbound calls are never missed');
    assert.equal(history({ direction: 'inbound', cause: 'NORMAL_CLEARING' }), 'Missed call');
    assert.equal(history({ cause: 'NORMAL_CLEARING' }), 'Cancelled', 'an outbound call given up before the answer');
  });

  it('asks the history about an outbound call the network described vaguely, or that the platform answered', () => {
    const ended = (outcome: CallInfo['outcome'], direction: CallInfo['direction'] = 'outbound') =>
      historyMayTellBetter({ ...call(direction), outcome });
    assert.equal(ended('failed'), true, 'the network said only "not completed"');
    assert.equal(ended('declined'), true, 'Bandwidth: the app refused the call before answering it');
    assert.equal(ended('remote-hung-up'), true, 'Bandwidth: the platform answered, the far end was busy');
    for (const outcome of ['hung-up', 'busy', 'no-answer', 'cancelled'] as const)
      assert.equal(ended(outcome), false, `${outcome}: the phone knows`);
    assert.equal(ended('failed', 'inbound'), false, 'only calls the dialpad placed');
    assert.equal(historyMayTellBetter({ ...call('outbound'), state: 'active', outcome: 'failed' }), false);
  });

  it('lets the history speak for a far end that never answered, and keeps the live words for one that did', () => {
    assert.deepEqual(historyVerdict(record({ cause: 'busy' })), { kind: 'settled', outcome: 'busy' });
    assert.deepEqual(historyVerdict(record({ cause: 'timeout' })), { kind: 'settled', outcome: 'no-answer' });
    assert.deepEqual(historyVerdict(record({ cause: 'premium-rate' })), { kind: 'settled', outcome: 'premium-rate' });
    assert.deepEqual(historyVerdict(record({ state: 'completed', answeredAt: '2026-11-26T10:00:02Z' })), {
      kind: 'answered',
    });
    assert.equal(historyVerdict(record({ state: 'active', answeredAt: '2026-11-26T10:00:02Z' })), undefined);
  });
});
