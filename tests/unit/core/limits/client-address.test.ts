// The client address the limits count: only the right-most X-Forwarded-For entry (the one Azure's front end
// appended) counts, so nothing a client writes into the header can choose or spread its address.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clientAddress, UNKNOWN_ADDRESS } from '../../../../core/limits/client-address';

describe('clientAddress', () => {
  const cases: Array<[string | null | undefined, string]> = [
    ['203.0.113.7', '203.0.113.7'],
    ['203.0.113.7:51234', '203.0.113.7'],
    ['1.1.1.1, 203.0.113.7:51234', '203.0.113.7'],
    ['1.1.1.1,2.2.2.2,  203.0.113.7:443 ', '203.0.113.7'],
    ['::ffff:127.0.0.1', '127.0.0.1'],
    ['[::ffff:127.0.0.1]:61000', '127.0.0.1'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::'],
    ['[2001:db8:1:2:3:4:5:6]:443', '2001:db8:1:2::'],
    ['2001:db8::1', '2001:db8:0:0::'],
    ['2001:DB8:1:2::ffff', '2001:db8:1:2::'],
    ['::1', '0:0:0:0::'],
    [null, UNKNOWN_ADDRESS],
    [undefined, UNKNOWN_ADDRESS],
    ['', UNKNOWN_ADDRESS],
    ['203.0.113.7, not-an-address', UNKNOWN_ADDRESS],
    ['999.1.1.1', UNKNOWN_ADDRESS],
  ];
  for (const [header, expected] of cases) {
    it(`reads ${JSON.stringify(header)} as ${expected}`, () => {
      assert.equal(clientAddress(header), expected);
    });
  }

  it('cannot be picked by the client: whatever it prepends, the appended entry decides', () => {
    const appended = '198.51.100.23:40000';
    for (const forged of ['10.0.0.1', '127.0.0.1, 8.8.8.8', 'unknown', '203.0.113.7:1']) {
      assert.equal(clientAddress(`${forged}, ${appended}`), '198.51.100.23');
    }
  });

  it('gives every address of one IPv6 /64 the same count', () => {
    assert.equal(clientAddress('2001:db8:aa:bb:1::1'), clientAddress('2001:db8:aa:bb:ffff:ffff:ffff:ffff'));
    assert.notEqual(clientAddress('2001:db8:aa:bb::1'), clientAddress('2001:db8:aa:bc::1'));
  });
});
