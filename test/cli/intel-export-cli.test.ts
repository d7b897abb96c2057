// `tabella intel export --out FILE` of a large store as a user runs it (a child process): the file
// is written through one stream pipeline with backpressure, so no listener is added per write
// (issue 10 §7: it used to warn MaxListenersExceededWarning), and it holds every object.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { ManualClock } from '../../src/core/clock.ts';
import { loadConfig } from '../../src/core/config.ts';
import { openDatabase } from '../../src/db/index.ts';
import { createOrg } from '../../src/features/membership/index.ts';
import { tabella } from '../support/cli.ts';
import { describeEachEngine, type ScratchDatabase, scratchDatabase } from '../support/databases.ts';
import { bulkAddress, fillIntel } from '../support/intel-bulk.ts';

const OBJECTS = 20_000;

describeEachEngine('tabella intel export --out of a large store', (engine) => {
  let scratch: ScratchDatabase;
  let newest: string;

  before(async () => {
    scratch = await scratchDatabase(engine);
    const config = loadConfig({ db: scratch.url, dataDir: scratch.dataDir }, {});
    const db = await openDatabase(config.db);
    try {
      const cli = {
        db: db.kysely,
        clock: new ManualClock(Date.parse('2026-11-03T12:00:00.000Z')),
        config,
        actor: { kind: 'cli' as const },
      };
      const org = await createOrg(cli, {
        name: 'State Board of Elections',
        kind: 'government',
        role: 'election-office',
        jurisdiction: 'US-NC',
        status: 'vetted',
      });
      newest = await fillIntel(cli, org.id, OBJECTS, { distribution: 'community', firstOctet: 10 });
    } finally {
      await db.close();
    }
  });
  after(async () => scratch?.cleanup());

  const where = () => ['--db', scratch.url, '--data-dir', scratch.dataDir];

  it('writes every object with no MaxListenersExceededWarning, in each format', async () => {
    for (const [format, extra] of [
      ['stix', []],
      ['csv', []],
      ['blocklist', ['--kind', 'ip']],
    ] as const) {
      const out = join(scratch.dataDir, `export.${format}`);
      const r = await tabella(['intel', 'export', '--format', format, ...extra, '--out', out, ...where()]);
      assert.equal(r.code, 0, r.stderr);
      assert.doesNotMatch(r.stderr, /MaxListenersExceededWarning/);
      assert.equal(r.stderr, '', 'no warning at all');
      assert.equal(r.stdout, '');
      const text = readFileSync(out, 'utf8');
      if (format === 'stix') {
        const bundle = JSON.parse(text) as { objects: { id: string }[] };
        assert.equal(bundle.objects.length, OBJECTS);
        assert.equal(bundle.objects.at(-1)?.id, newest);
      } else if (format === 'csv') {
        const records = text.split('\r\n').filter(Boolean);
        assert.equal(records.length, OBJECTS + 1);
        assert.ok(records.at(-1)?.startsWith(`${newest},`));
      } else {
        const entries = text.split('\n').filter(Boolean);
        assert.equal(entries.length, OBJECTS);
        assert.equal(entries.at(-1), bulkAddress(10, OBJECTS));
      }
    }
    assert.deepEqual(
      readdirSync(scratch.dataDir).filter((f) => f.includes('.partial-')),
      [],
      'no partial file is left behind',
    );
  });

  it('leaves no file when the export fails', async () => {
    const out = join(scratch.dataDir, 'missing-dir', 'export.json');
    const r = await tabella(['intel', 'export', '--out', out, ...where()]);
    assert.equal(r.code, 1);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    assert.equal(existsSync(out), false);
  });
});
