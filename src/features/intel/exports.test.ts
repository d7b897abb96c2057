import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type BlocklistKind, type ExportFormat, exportWriter } from './exports.ts';
import type { IntelVersion } from './views.ts';

let n = 0;
function version(type: string, object: Record<string, unknown>, revoked = false): IntelVersion {
  n += 1;
  return {
    stixId: `${type}--00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    type,
    specVersion: '2.1',
    created: null,
    modified: null,
    dateAdded: '2026-01-01T00:00:00.000000Z',
    ownerOrgId: 'org',
    ownerOrgName: 'Org',
    source: 'rest',
    tlp: 'green',
    distribution: 'community',
    groupId: null,
    revoked,
    object: { type, ...object },
  };
}

const sco = (type: string, value: string) => version(type, { value });
const ind = (pattern: string, pattern_type = 'stix') => version('indicator', { pattern, pattern_type });
const lines = (text: string) => text.split('\n').filter(Boolean);

/** The whole export of `pages`, in order, as one writer writes it. */
function render(format: ExportFormat, ...pages: (readonly IntelVersion[])[]): string {
  const writer = exportWriter(format);
  return writer.head() + pages.map((p) => writer.page(p)).join('') + writer.tail();
}
const blocklist = (versions: readonly IntelVersion[], list: BlocklistKind) =>
  render({ kind: 'blocklist', list }, versions);
const csv = (versions: readonly IntelVersion[]) => render({ kind: 'csv' }, versions);
/** Blocklist lines as a set: entries come in the order first seen. */
const sorted = (text: string) => lines(text).sort();

// Rows as they may have been stored before values were checked on the way in.
describe('exports', () => {
  describe('when stored values are invalid or wide', () => {
    it('the ip blocklist emits only addresses and blocks a device reads as meant', () => {
      const list = blocklist(
        [
          sco('ipv4-addr', '198.51.100.7'),
          sco('ipv4-addr', '999.1.1.1'),
          sco('ipv4-addr', '0.0.0.0/0'),
          sco('ipv4-addr', '0.0.0.0'),
          sco('ipv4-addr', '203.0.113.1\n0.0.0.0/0'),
          sco('ipv4-addr', '010.0.0.1'),
          sco('ipv6-addr', '::'),
          sco('ipv6-addr', '::/0'),
          sco('ipv6-addr', '2001:DB8::1'),
          sco('ipv4-addr', '10.0.0.0/8'),
          ind("[ipv4-addr:value = '192.0.2.55'] OR [ipv4-addr:value = '128.0.0.0/1']"),
          ind("[ipv4-addr:value IN ('192.0.2.56', '1.2.3')] AND [ipv6-addr:value = '::/1']"),
          ind("[ipv4-addr:value != '192.0.2.57'] OR [ipv4-addr:value NOT = '192.0.2.58']"),
          ind("[ipv4-addr:value ISSUBSET '0.0.0.0/0']"),
          ind("[ipv4-addr:value = '192.0.2.59'"),
          ind("[ipv4-addr:value = '192.0.2.60']", 'snort'),
          version('ipv4-addr', { value: '192.0.2.61' }, true),
        ],
        'ip',
      );
      assert.deepEqual(sorted(list), [
        '10.0.0.0/8',
        '192.0.2.55',
        '192.0.2.56',
        '198.51.100.7',
        '2001:db8::1',
      ]);
    });

    it('the domain blocklist emits names in A-label form, never TLDs, wildcards or text with spaces', () => {
      const list = blocklist(
        [
          sco('domain-name', 'evil.example'),
          sco('domain-name', 'com'),
          sco('domain-name', '*.example.com'),
          sco('domain-name', 'evil.example\ngoogle.com'),
          sco('domain-name', 'evil.example\u202e'),
          sco('domain-name', 'ПРИМЕР.рф'),
          sco('domain-name', 'Upper.Example'),
          ind("[domain-name:value = 'domain autuo.xicp.net' OR domain-name:value = 'autuo.xicp.net']"),
          ind("[domain-name:value LIKE '%.example']"),
        ],
        'domain',
      );
      assert.deepEqual(sorted(list), [
        'autuo.xicp.net',
        'evil.example',
        'upper.example',
        'xn--e1afmkfd.xn--p1ai',
      ]);
    });

    it('the url blocklist leaves out wildcards, spaces and unparseable URLs', () => {
      const list = blocklist(
        [
          sco('url', 'http://evil.example/a?b=1'),
          sco('url', 'http://evil.example/*'),
          sco('url', 'http://evil.example/a b'),
          sco('url', 'evil.example/a'),
          sco('url', 'http://0x7f.1/'),
          ind("[url:value = 'https://evil.example/login']"),
        ],
        'url',
      );
      assert.deepEqual(sorted(list), ['http://evil.example/a?b=1', 'https://evil.example/login']);
    });

    it('the hash blocklist emits digests of known algorithms of the right size only', () => {
      const list = blocklist(
        [
          version('file', {
            hashes: { 'SHA-256': 'AB'.repeat(32), MD5: 'c'.repeat(31), x_custom: 'd'.repeat(48) },
          }),
          version('file', { hashes: { md5: 'E'.repeat(32), SSDEEP: '3:a:b' } }),
          ind(
            "[file:hashes.'SHA-1' = '" +
              'f'.repeat(40) +
              "'] OR [file:hashes.x_custom = '" +
              '1'.repeat(48) +
              "']",
          ),
        ],
        'hash',
      );
      assert.deepEqual(sorted(list), ['ab'.repeat(32), 'e'.repeat(32), 'f'.repeat(40)]);
    });
  });

  describe('when an export spans pages', () => {
    it('a blocklist emits each entry once, in the order first seen, across pages', () => {
      const list = render(
        { kind: 'blocklist', list: 'ip' },
        [
          sco('ipv4-addr', '192.0.2.9'),
          ind("[ipv4-addr:value = '192.0.2.1' OR ipv4-addr:value = '192.0.2.9']"),
        ],
        [],
        [sco('ipv4-addr', '192.0.2.1'), sco('ipv4-addr', '192.0.2.3')],
      );
      assert.equal(list, '192.0.2.9\n192.0.2.1\n192.0.2.3\n');
    });

    it('a STIX bundle is one valid document only once its tail is written', () => {
      const writer = exportWriter({ kind: 'stix' });
      const body = writer.head() + writer.page([sco('ipv4-addr', '192.0.2.1')]) + writer.page([]);
      const more = writer.page([sco('ipv4-addr', '192.0.2.2'), sco('ipv4-addr', '192.0.2.3')]);
      assert.throws(() => JSON.parse(body + more), SyntaxError, 'a bundle cut short does not parse');
      const bundle = JSON.parse(body + more + writer.tail());
      assert.equal(bundle.type, 'bundle');
      assert.deepEqual(
        bundle.objects.map((o: { value: string }) => o.value),
        ['192.0.2.1', '192.0.2.2', '192.0.2.3'],
      );
    });

    it('CSV has its header once, then one record per version', () => {
      const text = render(
        { kind: 'csv' },
        [sco('ipv4-addr', '192.0.2.1')],
        [],
        [sco('url', 'http://x.example/')],
      );
      const records = text.split('\r\n');
      assert.equal(records.length, 4);
      assert.equal(records[0], 'id,type,name,value,pattern,tlp,owner,created,modified,date_added,revoked');
      assert.equal(records[3], '');
    });
  });

  describe('when a CSV field holds line breaks or control characters', () => {
    it('keeps every record on one line and guards formulas', () => {
      const text = csv([
        version('indicator', {
          name: 'two\nlines\r\nand\u2028more',
          pattern: "[ipv4-addr:value = '10.0.0.1']",
        }),
        version('indicator', { name: '\n=cmd|x', pattern: 'bidi \u202eevil\u0007' }),
        sco('domain-name', 'evil.example\ngood.example'),
      ]);
      const records = text.split('\r\n').filter(Boolean);
      assert.equal(records.length, 4);
      for (const record of records) assert.doesNotMatch(record, /[\p{Cc}\p{Cf}\u2028\u2029]/u);
      assert.ok(records[2]?.includes(`' =cmd|x`), records[2]);
      assert.ok(records[3]?.includes('evil.example good.example'), records[3]);
    });
  });
});
