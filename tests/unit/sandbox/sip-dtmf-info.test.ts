// DTMF sent as SIP INFO (JsSIP's default; the outside-phone page's keypad): which bodies the sandbox reads as a key.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dtmfOfInfo } from '../../../sandbox/sip/inbound-call';

test('application/dtmf-relay Signal= and application/dtmf bodies give the key; anything else gives none', () => {
  assert.equal(dtmfOfInfo('Signal=5\r\nDuration=100\r\n', 'application/dtmf-relay'), '5');
  assert.equal(dtmfOfInfo('Signal= #\r\nDuration=160', 'Application/DTMF-Relay; charset=utf-8'), '#');
  assert.equal(dtmfOfInfo('*', 'application/dtmf'), '*');
  assert.equal(dtmfOfInfo('Signal=a', 'application/dtmf-relay'), 'A');
  assert.equal(dtmfOfInfo('Signal=x', 'application/dtmf-relay'), undefined);
  assert.equal(dtmfOfInfo('Duration=100', 'application/dtmf-relay'), undefined);
  assert.equal(dtmfOfInfo('Signal=5', 'application/json'), undefined);
});
