// Issue 10 §6 and §7: what `tabella intel import` says and how it exits. A refused object makes the
// exit status 2 and is listed on stderr (id, code, reason; one line each, bounded); --skip-existing
// counts DUPLICATE_VERSION as skipped; --distribution takes ids, never names; --help names each
// default once. The CLI runs as a child process on a scratch database of each engine.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { type Db, openDatabase } from '../../src/db/index.ts';
import { type Run, tabella } from '../support/cli.ts';
import { describeEachEngine, type ScratchDatabase, scratchDatabase } from '../support/databases.ts';
import { indicator, type StixObject } from '../support/intel.ts';

// biome-ignore lint/suspicious/noExplicitAny: CLI output is JSON inspected dynamically
type Json = any;

/** Not valid STIX 2.1 (no `created`, `modified`, `pattern`…): refused as INVALID_STIX. */
const invalidObject = (): StixObject => ({
  type: 'indicator',
  spec_version: '2.1',
  id: `indicator--${randomUUID()}`,
});

/** The lines of a plain run's stderr that list a refused object: `  #<index> <id>: <CODE> <why>`. */
function failureLines(r: Run): { index: number; id: string; code: string }[] {
  return r.stderr.split('\n').flatMap((l) => {
    const m = /^ +#(\d+) (\S+): ([A-Z_]+) \S/.exec(l);
    return m === null ? [] : [{ index: Number(m[1]), id: m[2] as string, code: m[3] as string }];
  });
}

describeEachEngine('tabella intel import: exit status and what it reports', (engine) => {
  let scratch: ScratchDatabase;
  let where: string[];
  let db: Db;
  let orgId: string;

  const run = (args: readonly string[]) => tabella(['intel', 'import', ...args, '--org', orgId, ...where]);
  async function json(args: readonly string[], exit: number): Promise<Json> {
    const r = await run([...args, '--json']);
    assert.equal(r.code, exit, r.stderr);
    assert.equal(r.stderr, '', 'with --json the refusals are in the JSON only');
    return JSON.parse(r.stdout);
  }

  function bundle(name: string, objects: readonly StixObject[]): string {
    const file = join(scratch.dataDir, `${name}.json`);
    writeFileSync(file, JSON.stringify({ type: 'bundle', id: `bundle--${randomUUID()}`, objects }));
    return file;
  }

  async function stored(): Promise<number> {
    const row = await db.kysely
      .selectFrom('intel_objects')
      .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
      .where('owner_org_id', '=', orgId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  before(async () => {
    scratch = await scratchDatabase(engine);
    where = ['--db', scratch.url, '--data-dir', scratch.dataDir];
    const org = await tabella([
      ...['org', 'create', '--name', 'Wake County Board of Elections', '--kind', 'government'],
      ...['--role', 'election-office', '--vetted', '--json', ...where],
    ]);
    assert.equal(org.code, 0, org.stderr);
    orgId = JSON.parse(org.stdout).id;
    db = await openDatabase(scratch.url);
  });
  after(async () => {
    await db?.close();
    await scratch?.cleanup();
  });

  it('exits 2 when any object is refused, listing each on stderr; --skip-existing counts duplicates as skipped', async () => {
    const valid = [indicator(), indicator(), indicator()];
    const bad = [invalidObject(), invalidObject()];
    const first = bundle('first', [valid[0], bad[0], valid[1], valid[2], bad[1]] as StixObject[]);

    const r = await run([first]);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stdout, 'stored 3, skipped 0, failed 2\n');
    assert.deepEqual(failureLines(r), [
      { index: 1, id: bad[0]?.id, code: 'INVALID_STIX' },
      { index: 4, id: bad[1]?.id, code: 'INVALID_STIX' },
    ]);

    // Again: every object refused (the stored ones as DUPLICATE_VERSION) — still exit 2.
    const again = await json([first], 2);
    assert.deepEqual(
      [again.stored, again.skipped, again.failed, again.failures.map((f: Json) => f.code)],
      [
        0,
        0,
        5,
        ['DUPLICATE_VERSION', 'INVALID_STIX', 'DUPLICATE_VERSION', 'DUPLICATE_VERSION', 'INVALID_STIX'],
      ],
    );
    // --skip-existing: the duplicates are skips; the invalid objects still fail.
    const skipping = await json([first, '--skip-existing'], 2);
    assert.deepEqual(
      [skipping.stored, skipping.skipped, skipping.failed, skipping.failures.map((f: Json) => f.index)],
      [0, 3, 2, [1, 4]],
    );
    // Only skips and new objects: exit 0.
    const fresh = [indicator(), indicator()];
    const resumed = await json([bundle('resumed', [...valid, ...fresh]), '--skip-existing'], 0);
    assert.deepEqual(resumed, { stored: 2, skipped: 3, failed: 0, failures: [] });
    const plain = await run([bundle('resumed-plain', [...valid, indicator()]), '--skip-existing']);
    assert.equal(plain.code, 0, plain.stderr);
    assert.equal(plain.stdout, 'stored 1, skipped 3, failed 0\n');
    assert.equal(plain.stderr, '');
    assert.equal(await stored(), 6);
  });

  it('bounds the stderr list of a huge number of refusals and says how many more there are', async () => {
    const r = await run([bundle('invalid', Array.from({ length: 1005 }, invalidObject))]);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, 'stored 0, skipped 0, failed 1005\n');
    const lines = failureLines(r);
    assert.equal(lines.length, 1000);
    assert.deepEqual(
      lines.map((l) => l.index),
      Array.from({ length: 1000 }, (_, i) => i),
    );
    assert.match(r.stderr.trimEnd().split('\n').at(-1) ?? '', /\b5 more\b/);
  });

  it('stopped by a database error part-way: exit 1, says exactly what is stored; --skip-existing resumes', async (t) => {
    // More than one chunk (5,000); the database refuses object 5,020, in the second chunk, as a
    // PostgreSQL lock timeout (SQLSTATE 55P03) — SQLite has no way to raise a busy error from SQL,
    // so there the trigger's own error stops the import.
    const objects = Array.from({ length: 5040 }, () => indicator());
    const poison = objects[5020]?.id as string;
    const file = bundle('stopped', objects);
    const base = await stored();
    if (engine === 'postgres') {
      await sql
        .raw(
          `create function refuse_poison() returns trigger language plpgsql as $$ begin
             if new.stix_id = '${poison}' then raise exception 'lock timeout' using errcode = '55P03'; end if;
             return new; end $$`,
        )
        .execute(db.kysely);
      await sql
        .raw(
          'create trigger refuse_poison before insert on intel_objects for each row execute function refuse_poison()',
        )
        .execute(db.kysely);
    } else {
      await sql
        .raw(
          `create trigger refuse_poison before insert on intel_objects when new.stix_id = '${poison}'
           begin select raise(abort, 'refused by the test'); end`,
        )
        .execute(db.kysely);
    }
    let r: Run;
    try {
      r = await run([file, '--json']);
    } finally {
      await sql
        .raw(`drop trigger refuse_poison${engine === 'postgres' ? ' on intel_objects' : ''}`)
        .execute(db.kysely);
    }
    assert.equal(r.code, 1, r.stderr);
    assert.doesNotMatch(r.stderr, /VALIDATION_FAILED/);
    if (engine === 'postgres') assert.match(r.stderr, /^error DATABASE_BUSY: /m);
    const stop = JSON.parse(r.stdout);
    assert.equal(stop.error.code, engine === 'postgres' ? 'DATABASE_BUSY' : null);
    assert.equal(stop.inDoubt, 0);
    // What it says is stored is what is stored: the first chunk, and whatever of the second was.
    const kept = (await stored()) - base;
    assert.ok(kept >= 5000 && kept <= 5020, `stored ${kept}`);
    t.diagnostic(`stored ${kept} before it stopped (5,000 in the first chunk)`);
    assert.deepEqual([stop.stored, stop.skipped, stop.failed], [kept, 0, 0]);

    const resumed = await json([file, '--skip-existing'], 0);
    assert.deepEqual(resumed, { stored: objects.length - kept, skipped: kept, failed: 0, failures: [] });
    assert.equal((await stored()) - base, objects.length);
  });

  it('refuses a recipient given by name instead of id, as --distribution, storing nothing', async () => {
    const before = await stored();
    const file = bundle('named', [indicator()]);
    for (const distribution of ['group:My Group', `orgs:${orgId},Wake County Board of Elections`]) {
      const r = await run([file, '--distribution', distribution]);
      assert.equal(r.code, 1, distribution);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /^error VALIDATION_FAILED: .*\(--distribution\)$/m, r.stderr);
    }
    assert.equal(await stored(), before);
  });
});

describe('tabella intel import --help', () => {
  it('names the default of each option once', async () => {
    const r = await tabella(['intel', 'import', '--help']);
    assert.equal(r.code, 0, r.stderr);
    // Each option's text, its continuation lines joined.
    const options = r.stdout
      .slice(r.stdout.indexOf('Options:'))
      .split(/\n(?= {2}-)/)
      .map((o) => o.replace(/\s+/g, ' ').trim());
    const of = (flag: string) => options.find((o) => o.startsWith(flag)) ?? '';
    for (const [flag, value] of [
      ['--distribution', 'community'],
      ['--tlp', 'amber'],
    ] as const) {
      assert.equal(of(flag).match(/default/g)?.length, 1, of(flag));
      assert.ok(of(flag).includes(`(default: "${value}")`), of(flag));
    }
    for (const o of options) assert.ok((o.match(/default/g)?.length ?? 0) <= 1, o);
  });
});
