import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CallInfo } from '../../../web/src/phone/call-state';
import { endReasonText } from '../../../web/src/phone/end-reason';

const call = (direction: CallInfo['direction']): CallInfo => ({
  id: 'x',
  direction,
  peer: '+19195550100',
  state: 'ended',
  startedAt: 0,
  muted: false,
});

describe('endReasonText', () => {
  it('says who hung up', () => {
    assert.equal(endReasonText('Terminated', 'local', call('outbound')), 'You hung up');
    assert.equal(endReasonText('Terminated', 'remote', call('outbound')), 'The other side hung up');
  });
  it('tells a missed call from a cancelled one', () => {
    assert.equal(endReasonText('Canceled', 'remote', call('inbound')), 'Missed call');
    assert.equal(endReasonText('Canceled', 'local', call('outbound')), 'Call cancelled');
  });
  it('explains failures in plain words', () => {
    assert.equal(endReasonText('Busy', 'remote', call('outbound')), 'Busy');
    assert.equal(endReasonText('Rejected', 'remote', call('outbound')), 'Call declined');
    assert.equal(endReasonText('Rejected', 'local', call('inbound')), 'Call declined');
    assert.equal(endReasonText('Not Found', 'remote', call('outbound')), 'Number not reachable');
    assert.equal(endReasonText('User Denied Media Access', 'local', call('outbound')), 'Microphone access was denied');
    assert.equal(endReasonText('Something New', 'system', call('outbound')), 'Call ended');
    assert.equal(endReasonText(undefined, 'system', undefined), 'Call ended');
  });
});
