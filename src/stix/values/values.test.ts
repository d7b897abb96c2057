import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkObservableValue, isUnspecifiedAddress, type ValueType } from './index.ts';

function accepts(type: ValueType, values: readonly string[]): void {
  for (const v of values)
    assert.equal(checkObservableValue(type, v).ok, true, `${type} ${JSON.stringify(v)}`);
}

function refuses(type: ValueType, values: readonly string[]): void {
  for (const v of values)
    assert.equal(checkObservableValue(type, v).ok, false, `${type} ${JSON.stringify(v)}`);
}

describe('observable values (STIX 2.1 §6)', () => {
  describe('when the type is ipv4-addr (§6.4)', () => {
    it('accepts addresses and network blocks down to /8', () => {
      accepts('ipv4-addr', ['198.51.100.3', '0.0.0.0', '255.255.255.255', '10.0.0.0/8', '223.166.0.0/15']);
      accepts('ipv4-addr', ['198.51.100.7/32', '198.51.100.0/24']);
    });
    it('refuses non-addresses, leading zeros, wide blocks and host bits', () => {
      refuses('ipv4-addr', ['999.1.1.1', '1.2.3', '1.2.3.4.5', '010.1.1.1', '1.2.3.4 ', ' 1.2.3.4', '']);
      refuses('ipv4-addr', ['1.2.3.4\n5.6.7.8', '0x7f.0.0.1', '1.2.3.-4', '1.2.3.4/']);
      refuses('ipv4-addr', ['0.0.0.0/0', '128.0.0.0/1', '10.0.0.0/7', '1.2.3.4/33', '1.2.3.0/024']);
      refuses('ipv4-addr', ['198.51.100.5/24', '1.2.3.4/8/8']);
    });
  });

  describe('when the type is ipv6-addr (§6.5)', () => {
    it('accepts RFC 4291 text forms and blocks down to /16', () => {
      accepts('ipv6-addr', ['2001:db8::1', '::1', '::', '2001:DB8::/32', '::ffff:192.0.2.1', '2001::/16']);
      accepts('ipv6-addr', ['2001:0db8:0000:0000:0000:ff00:0042:8329']);
    });
    it('refuses malformed addresses, zones, wide blocks and host bits', () => {
      refuses('ipv6-addr', [
        '2001:db8::1::2',
        '2001:db8:::1',
        'fe80::1%eth0',
        '12345::',
        'g::1',
        '1.2.3.4::',
      ]);
      refuses('ipv6-addr', ['::/0', '2000::/3', '2001:db8::1/32', '2001:db8::1 ']);
    });
    it('canonicalizes to lower case', () => {
      assert.deepEqual(checkObservableValue('ipv6-addr', '2001:DB8::A'), {
        ok: true,
        canonical: '2001:db8::a',
      });
    });
  });

  describe('when the type is domain-name (§6.3)', () => {
    it('accepts names of two or more labels, A-labels, U-labels and underscores', () => {
      accepts('domain-name', [
        'evil.example',
        'www.webserver.dynssl.com',
        'EXAMPLE.COM',
        '_dmarc.example.org',
      ]);
      accepts('domain-name', ['xn--e1afmkfd.xn--p1ai', 'пример.рф', 'js001.3322.org', 'a-b.example']);
      accepts('domain-name', [`${'a'.repeat(63)}.example`]);
    });
    it('refuses a bare TLD, spaces, control characters, wildcards and bad labels', () => {
      refuses('domain-name', [
        'com',
        'localhost',
        'domain autuo.xicp.net',
        'evil.example\n',
        'evil.example\ngood.example',
      ]);
      refuses('domain-name', [
        '*.example.com',
        'a..b',
        '.example.com',
        'example.com.',
        '-a.example',
        'a-.example',
      ]);
      refuses('domain-name', [
        `${'a'.repeat(64)}.example`,
        `${'a.'.repeat(127)}example`,
        '999.1.1.1',
        '1.2.3.4',
      ]);
      refuses('domain-name', ['exa\u00admple.com', 'evil.example\u202e', 'xn--zz.com', 'ex%41mple.com', '']);
    });
    it('gives the lower-case A-label form as canonical', () => {
      assert.deepEqual(checkObservableValue('domain-name', 'ПРИМЕР.рф'), {
        ok: true,
        canonical: 'xn--e1afmkfd.xn--p1ai',
      });
      assert.deepEqual(checkObservableValue('domain-name', 'Evil.Example'), {
        ok: true,
        canonical: 'evil.example',
      });
    });
  });

  describe('when the type is url (§6.11)', () => {
    it('accepts absolute RFC 3986 URLs', () => {
      accepts('url', ['http://evil.example/a?b=1', 'https://198.51.100.7:8443/x', 'https://[2001:db8::1]/']);
      accepts('url', [
        'ftp://user:pw@files.example/p',
        'mailto:someone@example.com',
        'https://xn--e1afmkfd.xn--p1ai/',
      ]);
    });
    it('refuses spaces, control characters, non-ASCII, relative URLs and odd hosts', () => {
      refuses('url', [
        'http://evil.example/a b',
        'http://evil.example/\n',
        '/relative',
        'evil.example/a',
        '',
      ]);
      refuses('url', ['http://пример.рф/', 'http://*.example/', 'http://0x7f.1/', 'http://999.1.1.1/']);
      refuses('url', ['http:/evil.example', 'http://', 'http://localhost/', 'http://[fe80::1%25eth0]/']);
    });
  });

  describe('when the type is email-addr (§6.2)', () => {
    it('accepts dot-atom addresses with a domain or address literal', () => {
      accepts('email-addr', ['jdoe@example.com', 'first.last+tag@sub.example.org', 'a@[192.0.2.1]']);
      accepts('email-addr', ['a@[IPv6:2001:db8::1]', 'josé@correo.example']);
    });
    it('refuses addresses without a valid local part or domain', () => {
      refuses('email-addr', [
        'jdoe',
        '@example.com',
        'jdoe@',
        'jdoe@com',
        'j doe@example.com',
        'j..doe@example.com',
      ]);
      refuses('email-addr', ['"j doe"@example.com', 'jdoe@example.com\n', `${'a'.repeat(65)}@example.com`]);
    });
  });

  describe('when the type is mac-addr (§6.6)', () => {
    it('accepts only the lower-case colon form with leading zeros', () => {
      accepts('mac-addr', ['d2:fb:49:24:37:18', '00:00:5e:00:53:01']);
      refuses('mac-addr', ['D2:FB:49:24:37:18', 'd2-fb-49-24-37-18', 'd2:fb:49:24:37:1', 'd2fb.4924.3718']);
    });
  });

  it('knows the unspecified addresses that firewalls read as "any"', () => {
    for (const v of ['0.0.0.0', '0.0.0.0/32', '::', '::/128', '0:0:0:0:0:0:0:0'])
      assert.equal(isUnspecifiedAddress(v), true, v);
    for (const v of ['0.0.0.1', '10.0.0.0/8', '::1', '2001:db8::'])
      assert.equal(isUnspecifiedAddress(v), false, v);
  });
});
