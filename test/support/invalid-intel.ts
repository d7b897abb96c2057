// Issue 9 ("only valid intelligence is stored and shared"): one object per finding, each with the
// JSON path and validation issue code every way in must refuse it at, next to valid objects of
// the same kinds that must still be stored. Shared by the REST/web/TAXII and the CLI tests.
import { randomUUID } from 'node:crypto';
import { indicator, type StixObject } from './intel.ts';

const created = '2026-01-01T00:00:00.000Z';

function sco(type: string, props: Record<string, unknown>): StixObject {
  return { type, spec_version: '2.1', id: `${type}--${randomUUID()}`, ...props };
}

export interface Finding {
  readonly what: string;
  readonly object: StixObject;
  /** Where validation reports the first error, and its issue code. */
  readonly path: string;
  readonly issue: string;
}

/** Objects that were stored before issue 9 and must now be refused with INVALID_STIX. */
export function findings(): Finding[] {
  const f = (what: string, object: StixObject, path: string, issue: string): Finding => ({
    what,
    object,
    path,
    issue,
  });
  return [
    f(
      'a pattern that does not parse',
      indicator({ pattern: "[ipv4-addr:value = '198.51.100.1'" }),
      '$.pattern',
      'INVALID_PATTERN',
    ),
    f(
      'an impossible address in a pattern',
      indicator({ pattern: "[ipv4-addr:value = '999.1.1.1']" }),
      '$.pattern',
      'INVALID_PATTERN',
    ),
    f(
      'a block of everything in a pattern',
      indicator({ pattern: "[ipv4-addr:value = '0.0.0.0/0']" }),
      '$.pattern',
      'INVALID_PATTERN',
    ),
    f(
      'a TLD alone in a pattern',
      indicator({ pattern: "[domain-name:value = 'com']" }),
      '$.pattern',
      'INVALID_PATTERN',
    ),
    f('an ipv4-addr 999.1.1.1', sco('ipv4-addr', { value: '999.1.1.1' }), '$.value', 'INVALID_VALUE'),
    f('an ipv4-addr 0.0.0.0/0', sco('ipv4-addr', { value: '0.0.0.0/0' }), '$.value', 'INVALID_VALUE'),
    f('an ipv6-addr ::/0', sco('ipv6-addr', { value: '::/0' }), '$.value', 'INVALID_VALUE'),
    f('a domain-name com', sco('domain-name', { value: 'com' }), '$.value', 'INVALID_VALUE'),
    f(
      'a domain-name with a newline',
      sco('domain-name', { value: 'evil.example\ngoogle.com' }),
      '$.value',
      'INVALID_VALUE',
    ),
    f('a url with a space', sco('url', { value: 'http://evil.example/a b' }), '$.value', 'INVALID_VALUE'),
    f('an email-addr without a domain', sco('email-addr', { value: 'jdoe' }), '$.value', 'INVALID_VALUE'),
    f('an upper-case mac-addr', sco('mac-addr', { value: 'D2:FB:49:24:37:18' }), '$.value', 'INVALID_VALUE'),
    f(
      'a short SHA-256',
      sco('file', { hashes: { 'SHA-256': 'ab'.repeat(31) } }),
      '$.hashes["SHA-256"]',
      'INVALID_HASH',
    ),
    f(
      'ten fraction digits in modified',
      indicator({ modified: '2026-02-01T00:00:00.1234567891Z' }),
      '$.modified',
      'TIMESTAMP_PRECISION',
    ),
    f(
      'an upper-case UUID in id',
      indicator({ id: `indicator--${randomUUID().toUpperCase()}` }),
      '$.id',
      'INVALID_IDENTIFIER',
    ),
  ];
}

/** Valid neighbours of the findings: a CIDR block, an IDN, a mailbox, nanoseconds. */
export function validKin(): StixObject[] {
  return [
    indicator({ pattern: "[ipv4-addr:value = '203.0.113.0/24'] OR [domain-name:value = 'пример.рф']" }),
    sco('ipv4-addr', { value: '10.0.0.0/8' }),
    sco('ipv6-addr', { value: '2001:db8::/32' }),
    sco('domain-name', { value: 'xn--e1afmkfd.xn--p1ai' }),
    sco('url', { value: 'https://evil.example/login?next=%2F' }),
    sco('email-addr', { value: 'phish@evil.example' }),
    sco('mac-addr', { value: 'd2:fb:49:24:37:18' }),
    sco('file', { hashes: { 'SHA-256': 'ab'.repeat(32) } }),
    indicator({ modified: '2026-02-01T00:00:00.123456789Z' }),
    { ...indicator(), created, x_acme_source_ref: '' },
  ];
}

/** A share failure's message is `<JSON path>: <issue code>` for INVALID_STIX (docs/sharing.md). */
export function invalidAt(message: string): readonly [string, string] {
  const at = message.lastIndexOf(': ');
  return [message.slice(0, at), message.slice(at + 2)];
}
