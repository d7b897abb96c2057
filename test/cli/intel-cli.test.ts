// `tabella intel import` and `tabella intel export` as a user runs them: `node bin/tabella.mjs …`
// as a child process on a scratch SQLite data directory, with real OASIS example bundles from
// ../shared/data/stix/ (skipped, with a message, when that directory is absent).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { type Run, tabella } from '../support/cli.ts';

const DATA = fileURLToPath(new URL('../../../shared/data/stix/', import.meta.url));
const APT1 = join(DATA, 'oasis-example-apt1.json');
const POISON_IVY = join(DATA, 'oasis-example-poisonivy.json');
const skip = existsSync(APT1) && existsSync(POISON_IVY) ? false : `no STIX example bundles in ${DATA}`;
/**
 * Poison Ivy's one invalid object, at index 42: `[domain-name:value = 'domain autuo.xicp.net' OR …]`
 * (a domain with a space). `tabella stix validate` rejects it, so import refuses it too (issue 9).
 */
const IVY_INVALID = 'indicator--4e4c4ad7-4909-456a-b6fa-e24a6f682a40';
if (skip !== false) process.stdout.write(`# intel CLI tests SKIPPED: ${skip}\n`);

describe('tabella intel import / export [sqlite]', { skip }, () => {
  let dir: string;
  let where: string[];
  let orgA: string;
  let orgB: string;
  const apt1 =
    skip === false ? (JSON.parse(readFileSync(APT1, 'utf8')) as { objects: { id: string }[] }) : undefined;
  const ivy =
    skip === false
      ? (JSON.parse(readFileSync(POISON_IVY, 'utf8')) as { objects: { id: string }[] })
      : undefined;

  // biome-ignore lint/suspicious/noExplicitAny: CLI output is JSON inspected dynamically
  async function json(args: readonly string[], exit = 0): Promise<any> {
    const r = await tabella([...args, ...where, '--json']);
    assert.equal(r.code, exit, `tabella ${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stderr, '', 'no progress bar with --json');
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 1, r.stdout);
    return JSON.parse(lines[0] ?? '');
  }

  async function fails(args: readonly string[], code: string): Promise<Run> {
    const r = await tabella([...args, ...where]);
    assert.equal(r.code, 1, `should fail: ${r.stdout}`);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, new RegExp(`\\b${code}\\b`), r.stderr);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    return r;
  }

  async function exported(args: readonly string[]): Promise<string> {
    const r = await tabella(['intel', 'export', ...args, ...where]);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout;
  }

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tabella-intel-cli-'));
    where = ['--data-dir', dir];
    const org = (name: string) =>
      json([
        'org',
        'create',
        '--name',
        name,
        '--kind',
        'government',
        '--role',
        'election-office',
        '--vetted',
      ]);
    orgA = (await org('Wake County Board of Elections')).id;
    orgB = (await org('State Board of Elections')).id;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('imports a bundle (streamed) and reports totals; a second import is all duplicates', async () => {
    const first = await json(['intel', 'import', APT1, '--org', orgA, '--tlp', 'green']);
    assert.deepEqual(first, { stored: apt1?.objects.length, skipped: 0, failed: 0, failures: [] });
    // Every object refused: exit 2 (issue 10 §6).
    const again = await json(['intel', 'import', APT1, '--org', orgA, '--tlp', 'green'], 2);
    assert.equal(again.stored, 0);
    assert.equal(again.failed, apt1?.objects.length);
    assert.ok(again.failures.every((f: { code: string }) => f.code === 'DUPLICATE_VERSION'));
    assert.deepEqual(
      again.failures.map((f: { index: number }) => f.index),
      apt1?.objects.map((_, i) => i),
      'failure indexes are positions in the bundle',
    );
    // Without --json: totals on stdout, each refused object on stderr, no progress bar when
    // stderr is not a terminal; a refused object makes the exit status 2.
    const plain = await tabella([
      'intel',
      'import',
      POISON_IVY,
      '--org',
      orgB,
      '--tlp',
      'red',
      '--distribution',
      `orgs:${orgA}`,
      ...where,
    ]);
    assert.equal(plain.code, 2, plain.stderr);
    assert.equal(plain.stdout, `stored ${(ivy?.objects.length ?? 0) - 1}, skipped 0, failed 1\n`);
    const [failure, ...rest] = plain.stderr.split('\n');
    assert.match(failure ?? '', new RegExp(`^ +#42 ${IVY_INVALID}: INVALID_STIX \\$\\.pattern\\b`));
    assert.deepEqual(rest, ['']);
  });

  it('refuses unreadable files, non-bundles, malformed JSON and bad options (exit 1, nothing stored)', async () => {
    const before = (await exported(['--format', 'csv'])).split('\r\n').length;
    await fails(['intel', 'import', join(dir, 'missing.json'), '--org', orgA], 'NOT_FOUND');
    const notBundle = join(dir, 'not-a-bundle.json');
    writeFileSync(notBundle, JSON.stringify({ type: 'report', objects: apt1?.objects.slice(0, 3) }));
    await fails(['intel', 'import', notBundle, '--org', orgA], 'VALIDATION_FAILED');
    const typeLast = join(dir, 'type-missing.json');
    writeFileSync(typeLast, JSON.stringify({ objects: [{ type: 'indicator' }] }));
    await fails(['intel', 'import', typeLast, '--org', orgA], 'VALIDATION_FAILED');
    const malformed = join(dir, 'malformed.json');
    writeFileSync(malformed, '{"type": "bundle", "objects": [{"type": "indic');
    await fails(['intel', 'import', malformed, '--org', orgA], 'VALIDATION_FAILED');
    await fails(['intel', 'import', APT1, '--org', orgA, '--distribution', 'everyone'], 'VALIDATION_FAILED');
    await fails(['intel', 'import', APT1, '--org', orgA, '--tlp', 'purple'], 'VALIDATION_FAILED');
    await fails(['intel', 'import', APT1, '--org', 'org_missing'], 'NOT_FOUND');
    await fails(['intel', 'export', '--format', 'xml'], 'VALIDATION_FAILED');
    assert.equal((await exported(['--format', 'csv'])).split('\r\n').length, before);
  });

  it('public needs TLP:CLEAR: each refused object is a failure entry', async () => {
    const small = join(dir, 'small.json');
    writeFileSync(
      small,
      JSON.stringify({ type: 'bundle', id: 'bundle--1', objects: apt1?.objects.slice(0, 2) }),
    );
    const r = await json(
      ['intel', 'import', small, '--org', orgB, '--tlp', 'green', '--distribution', 'public'],
      2,
    );
    assert.equal(r.stored, 0);
    assert.deepEqual(
      r.failures.map((f: { code: string }) => f.code),
      ['DISTRIBUTION_NOT_ALLOWED', 'DISTRIBUTION_NOT_ALLOWED'],
    );
  });

  it('exports everything not deleted as STIX, CSV and blocklists, with filters, audited', async () => {
    const ivyStored = (ivy?.objects ?? []).filter((o) => o.id !== IVY_INVALID);
    const total = (apt1?.objects.length ?? 0) + ivyStored.length;
    const out = join(dir, 'export.json');
    const r = await tabella(['intel', 'export', '--out', out, ...where]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    const bundle = JSON.parse(readFileSync(out, 'utf8'));
    assert.equal(bundle.type, 'bundle');
    assert.match(bundle.id, /^bundle--[0-9a-f-]{36}$/);
    assert.equal(bundle.objects.length, total);
    assert.deepEqual(
      new Set(bundle.objects.map((o: { id: string }) => o.id)),
      new Set([...(apt1?.objects ?? []), ...ivyStored].map((o) => o.id)),
    );
    // Filters: owner, TLP, type.
    const byOrg = JSON.parse(await exported(['--org', orgA]));
    assert.equal(byOrg.objects.length, apt1?.objects.length);
    const red = JSON.parse(await exported(['--tlp', 'red']));
    assert.equal(red.objects.length, ivyStored.length);
    const indicators = JSON.parse(await exported(['--type', 'indicator,malware', '--org', orgA]));
    assert.ok(indicators.objects.length > 0);
    assert.ok(indicators.objects.every((o: { type: string }) => ['indicator', 'malware'].includes(o.type)));

    const csv = await exported(['--format', 'csv']);
    const lines = csv.split('\r\n').filter(Boolean);
    assert.equal(lines[0], 'id,type,name,value,pattern,tlp,owner,created,modified,date_added,revoked');
    assert.equal(lines.length, total + 1);
    assert.ok(lines.some((l) => l.includes(',red,State Board of Elections,')));

    const domains = (await exported(['--format', 'blocklist', '--kind', 'domain']))
      .split('\n')
      .filter(Boolean);
    assert.ok(domains.length > 0);
    assert.deepEqual(domains, [...new Set(domains)], 'de-duplicated (in the order first seen)');
    // Values with whitespace (Poison Ivy's 'domain autuo.xicp.net') would inject a second entry.
    for (const d of domains) assert.match(d, /^[a-z0-9.-]+$/i);
    assert.ok(!domains.some((d) => d.includes('autuo')));
    const bundleText = readFileSync(APT1, 'utf8') + readFileSync(POISON_IVY, 'utf8');
    for (const d of domains) assert.ok(bundleText.includes(d), d);
    for (const kind of ['ip', 'url', 'hash']) {
      const list = await exported(['--format', 'blocklist', '--kind', kind]);
      assert.ok(list === '' || list.endsWith('\n'));
    }

    // Every export run is audited as intel.export, by the CLI.
    const db = new Database(join(dir, 'tabella.db'), { readonly: true });
    try {
      const rows = db.prepare("select actor_type from audit_events where action = 'intel.export'").all() as {
        actor_type: string;
      }[];
      assert.ok(rows.length >= 8, `intel.export events: ${rows.length}`);
      assert.ok(rows.every((x) => x.actor_type === 'cli'));
    } finally {
      db.close();
    }
  });
});

describe('tabella intel import: a statement marking after the chunk that references it [sqlite]', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'tabella-intel-cli-markings-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('counts the bundle as one request: every object is TLP:CLEAR, none unknown', async () => {
    const where = ['--data-dir', dir, '--json'];
    const org = await tabella([
      ...['org', 'create', '--name', 'ATT&CK mirror', '--kind', 'nonprofit', '--role', 'researcher'],
      ...['--vetted', ...where],
    ]);
    assert.equal(org.code, 0, org.stderr);
    const orgId = (JSON.parse(org.stdout) as { id: string }).id;
    // More objects than one import chunk (5,000), the statement last, as MITRE ATT&CK lays it out.
    const statementId = `marking-definition--${randomUUID()}`;
    const t = '2026-01-01T00:00:00.000Z';
    const objects: Record<string, unknown>[] = Array.from({ length: 5001 }, (_, i) => ({
      type: 'indicator',
      spec_version: '2.1',
      id: `indicator--${randomUUID()}`,
      created: t,
      modified: t,
      name: `technique ${i}`,
      pattern: `[domain-name:value = 't${i}.example']`,
      pattern_type: 'stix',
      valid_from: t,
      object_marking_refs: [statementId],
    }));
    objects.push({
      type: 'marking-definition',
      spec_version: '2.1',
      id: statementId,
      created: t,
      definition_type: 'statement',
      definition: { statement: 'Copyright 2026 Example.' },
    });
    const file = join(dir, 'attack-like.json');
    writeFileSync(file, JSON.stringify({ type: 'bundle', id: `bundle--${randomUUID()}`, objects }));
    const r = await tabella([
      'intel',
      'import',
      file,
      '--org',
      orgId,
      '--tlp',
      'clear',
      '--distribution',
      'public',
      ...where,
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { stored: objects.length, skipped: 0, failed: 0, failures: [] });
    const db = new Database(join(dir, 'tabella.db'), { readonly: true });
    try {
      const rows = db.prepare('select tlp, count(*) as n from intel_objects group by tlp').all();
      assert.deepEqual(rows, [{ tlp: 'clear', n: objects.length }]);
    } finally {
      db.close();
    }
  });
});
