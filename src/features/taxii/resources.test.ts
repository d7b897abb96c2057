import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../core/config.ts';
import { baseUrlFor, discoveryResource } from './resources.ts';

const unset = loadConfig({ port: 8080, dataDir: '/tmp/tabella-unit' }, {});
const set = loadConfig(
  { port: 8080, dataDir: '/tmp/tabella-unit' },
  { TABELLA_PUBLIC_URL: 'https://isac.example/' },
);

test('discovery advertises the configured public URL whatever Host the client sent', () => {
  const d = discoveryResource(set, baseUrlFor(set, { protocol: 'http', host: 'attacker.example' }));
  assert.equal(d.default, 'https://isac.example/taxii2/api/');
  assert.deepEqual(d.api_roots, [d.default]);
});

test('without a configured public URL, discovery answers with the address the client used', () => {
  assert.equal(unset.publicUrlSet, false);
  for (const [host, want] of [
    ['192.0.2.10:18080', 'http://192.0.2.10:18080'],
    ['tabella.internal', 'http://tabella.internal'],
    ['[::1]:8080', 'http://[::1]:8080'],
  ] as const) {
    assert.equal(baseUrlFor(unset, { protocol: 'http', host }), want);
  }
  assert.equal(baseUrlFor(unset, { protocol: 'https', host: 'isac.example' }), 'https://isac.example');
});

test('a Host header that is not a plain host[:port] falls back to the default public URL', () => {
  for (const host of ['evil.example/x', 'a b', 'x@y', '', 'host:port', '<script>']) {
    assert.equal(baseUrlFor(unset, { protocol: 'http', host }), 'http://localhost:8080', host);
  }
});
