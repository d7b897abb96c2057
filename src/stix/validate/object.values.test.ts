import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { INDICATOR, issuesOf } from '../../../test/support/stix-issues.ts';

const indicator = INDICATOR;

function sco(type: string, props: Record<string, unknown>): Record<string, unknown> {
  return { type, spec_version: '2.1', id: `${type}--0a7f4b5e-3c2d-4e1f-8a9b-0c1d2e3f4a5b`, ...props };
}

const errors = (o: unknown) => issuesOf(o, 'error');

describe('validateObject: only valid intelligence', () => {
  describe('when an indicator has pattern_type stix (§9)', () => {
    it('parses the pattern: a pattern that does not parse is INVALID_PATTERN at $.pattern', () => {
      assert.deepEqual(errors(indicator), []);
      assert.deepEqual(errors({ ...indicator, pattern: "[ipv4-addr:value = '10.0.0.1'" }), [
        ['$.pattern', 'INVALID_PATTERN'],
      ]);
      assert.deepEqual(errors({ ...indicator, pattern: '[file:hashes.MD5 = 42' }), [
        ['$.pattern', 'INVALID_PATTERN'],
      ]);
    });

    it('checks values compared with an observable value', () => {
      for (const pattern of [
        "[ipv4-addr:value = '999.1.1.1']",
        "[ipv4-addr:value = '0.0.0.0/0']",
        "[domain-name:value = 'com']",
        "[domain-name:value = 'evil.example\ngood.example']",
        "[domain-name:value = 'a.example'] OR [domain-name:value IN ('b.example', 'c d.example')]",
        "[url:value != 'not a url'] WITHIN 5 SECONDS",
        "[email-addr:value = 'nobody'] FOLLOWEDBY [ipv4-addr:value = '10.0.0.1']",
        "[mac-addr:value = 'D2:FB:49:24:37:18']",
        "[file:hashes.'SHA-256' = 'abc']",
      ]) {
        assert.deepEqual(errors({ ...indicator, pattern }), [['$.pattern', 'INVALID_PATTERN']], pattern);
      }
    });

    it('leaves wildcards and blocks of LIKE, MATCHES and ISSUBSET alone', () => {
      for (const pattern of [
        "[domain-name:value LIKE '%.example']",
        "[ipv4-addr:value ISSUBSET '0.0.0.0/0']",
        "[url:value MATCHES '^https?://']",
        "[ipv4-addr:value = '223.166.0.0/15' AND network-traffic:dst_port = 443]",
      ]) {
        assert.deepEqual(errors({ ...indicator, pattern }), [], pattern);
      }
    });

    it('does not parse other pattern languages', () => {
      assert.deepEqual(
        errors({ ...indicator, pattern_type: 'sigma', pattern: 'title: x\ndetection: {}' }),
        [],
      );
      assert.deepEqual(
        errors({ ...indicator, pattern_type: 'snort', pattern: 'alert tcp any any -> any 80' }),
        [],
      );
    });
  });

  describe('when a cyber-observable holds a value (§6)', () => {
    it('refuses values its type cannot hold with INVALID_VALUE at $.value', () => {
      const bad: readonly [string, string][] = [
        ['ipv4-addr', '999.1.1.1'],
        ['ipv4-addr', '0.0.0.0/0'],
        ['ipv6-addr', '2001:db8::1::1'],
        ['domain-name', 'com'],
        ['domain-name', 'evil.example\n'],
        ['url', 'http://evil.example/a b'],
        ['email-addr', 'not-an-address'],
        ['mac-addr', 'D2:FB:49:24:37:18'],
      ];
      for (const [type, value] of bad) {
        assert.deepEqual(errors(sco(type, { value })), [['$.value', 'INVALID_VALUE']], `${type} ${value}`);
      }
      assert.deepEqual(errors(sco('artifact', { url: 'ftp:// x', hashes: { 'SHA-256': 'ab'.repeat(32) } })), [
        ['$.url', 'INVALID_VALUE'],
      ]);
    });

    it('accepts valid values', () => {
      for (const [type, value] of [
        ['ipv4-addr', '198.51.100.3'],
        ['ipv6-addr', '2001:db8::/32'],
        ['domain-name', 'xn--e1afmkfd.xn--p1ai'],
        ['url', 'https://evil.example/login'],
        ['email-addr', 'jdoe@example.com'],
        ['mac-addr', 'd2:fb:49:24:37:18'],
      ] as const) {
        assert.deepEqual(errors(sco(type, { value })), [], `${type} ${value}`);
      }
    });

    it('checks file hashes per algorithm, whatever the spelling of its name', () => {
      const file = (hashes: Record<string, string>) => sco('file', { hashes });
      assert.deepEqual(
        errors(file({ MD5: 'a'.repeat(32), 'SHA-1': 'b'.repeat(40), 'SHA-512': 'c'.repeat(128) })),
        [],
      );
      assert.deepEqual(errors(file({ SSDEEP: '96:s4Ud1Lj96tHHlZDrwciQmA:s4Ud1Lj96tHHlZDrwciQmA' })), []);
      assert.deepEqual(errors(file({ TLSH: `T1${'0A'.repeat(35)}` })), []);
      for (const hashes of [
        { MD5: 'a'.repeat(31) },
        { md5: 'a'.repeat(40) },
        { sha256: 'z'.repeat(64) },
        { 'SHA-256': `${'a'.repeat(63)}\n` },
        { SSDEEP: 'not ssdeep' },
        { TLSH: 'T1' },
      ]) {
        const [algorithm = ''] = Object.keys(hashes);
        assert.deepEqual(errors(file(hashes)), [
          [
            `$.hashes${/^[A-Za-z_]\w*$/.test(algorithm) ? `.${algorithm}` : `[${JSON.stringify(algorithm)}]`}`,
            'INVALID_HASH',
          ],
        ]);
      }
    });
  });
});
