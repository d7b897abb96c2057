import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseIdentifier } from './identifier.ts';
import { scoDeterministicId, scoIdentifier, uuidV5 } from './sco-id.ts';

describe('uuidV5', () => {
  it('matches the RFC 4122 appendix-style vector for the DNS namespace', () => {
    // Python: uuid.uuid5(uuid.NAMESPACE_DNS, 'python.org')
    assert.equal(
      uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'python.org'),
      '886313e1-3b8a-5372-9b90-0c9aee199e5d',
    );
  });
});

describe('scoDeterministicId', () => {
  it('reproduces the OASIS stix2 library identifier for a file with an extension', () => {
    const file = {
      type: 'file',
      name: 'example.exe',
      size: 68000,
      magic_number_hex: '50000000',
      hashes: { 'SHA-256': '841a8921140aba50671ebb0770fecc4ee308c4952cfeff8de154ab14eeef4649' },
      extensions: {
        'windows-pebinary-ext': {
          pe_type: 'exe',
          machine_hex: '014c',
          sections: [
            {
              name: '.data',
              size: 4096,
              entropy: 7.980693,
              hashes: { 'SHA-256': '6e3b6f3978e5cd96ba7abee35c24e867b7e64072e2ecb22d0ee7a6e6af6894d0' },
            },
          ],
        },
      },
    };
    assert.equal(scoDeterministicId(file), 'file--ced31cd4-bdcb-537d-aefa-92d291bfc11d');
  });

  it('ignores non-contributing properties and key order', () => {
    const a = scoDeterministicId({ type: 'email-addr', value: 'jdoe@example.com', display_name: 'J' });
    const b = scoDeterministicId({ display_name: 'Other', value: 'jdoe@example.com', type: 'email-addr' });
    assert.equal(a, b);
    assert.equal(parseIdentifier(a ?? '')?.version, 5);
  });

  it('uses one hash, preferring MD5', () => {
    const both = scoDeterministicId({
      type: 'file',
      hashes: { 'SHA-256': 'b'.repeat(64), MD5: 'a'.repeat(32) },
    });
    const md5 = scoDeterministicId({ type: 'file', hashes: { MD5: 'a'.repeat(32) } });
    assert.equal(both, md5);
  });

  describe('when no contributing property is present', () => {
    it('returns undefined, and scoIdentifier falls back to UUIDv4', () => {
      assert.equal(scoDeterministicId({ type: 'process', pid: 4 }), undefined);
      assert.equal(
        parseIdentifier(scoIdentifier({ type: 'email-message', is_multipart: false }))?.version,
        4,
      );
    });
  });
});
