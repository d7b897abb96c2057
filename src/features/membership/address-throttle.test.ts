import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addressKey } from './address-throttle.ts';

describe('addressKey', () => {
  it('keeps IPv4 addresses, and unwraps IPv4-mapped IPv6 ones', () => {
    assert.equal(addressKey('203.0.113.7'), '203.0.113.7');
    assert.equal(addressKey('::ffff:203.0.113.7'), '203.0.113.7');
    assert.equal(addressKey('::FFFF:127.0.0.1'), '127.0.0.1');
  });

  it('counts IPv6 by its /64, however the address is written', () => {
    const key = '2001:db8:aa:bb::/64';
    assert.equal(addressKey('2001:db8:aa:bb::1'), key);
    assert.equal(addressKey('2001:0db8:00aa:00bb:1234:5678:9abc:def0'), key);
    assert.equal(addressKey('2001:DB8:AA:BB:ffff::'), key);
    assert.notEqual(addressKey('2001:db8:aa:bc::1'), key);
    assert.equal(addressKey('::1'), '0:0:0:0::/64');
    assert.equal(addressKey('2001:db8::'), '2001:db8:0:0::/64');
  });

  it('keeps anything else as it came (it is only ever a key)', () => {
    assert.equal(addressKey('not an address'), 'not an address');
  });
});
