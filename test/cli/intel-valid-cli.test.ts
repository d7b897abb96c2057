// Issue 9: `tabella intel import` refuses exactly what `tabella stix validate` reports as errors,
// at the same paths, on both databases (the CLI runs as a child process against a scratch one).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { tabella } from '../support/cli.ts';
import { describeEachEngine, type ScratchDatabase, scratchDatabase } from '../support/databases.ts';
import { findings, invalidAt, validKin } from '../support/invalid-intel.ts';

// biome-ignore lint/suspicious/noExplicitAny: CLI output is JSON inspected dynamically
type Json = any;

describeEachEngine('tabella intel import: only valid intelligence', (engine) => {
  let db: ScratchDatabase;
  let where: string[];
  before(async () => {
    db = await scratchDatabase(engine);
    where = ['--db', db.url, '--data-dir', db.dataDir];
  });
  after(async () => db.cleanup());

  async function json(args: readonly string[], exit = 0): Promise<Json> {
    const r = await tabella([...args, '--json']);
    assert.equal(r.code, exit, `tabella ${args[0]} ${args[1]}: ${r.stderr}`);
    return JSON.parse(r.stdout);
  }

  it('refuses every finding that stix validate rejects, at the same path, and stores the rest', async () => {
    const bad = findings();
    const good = validKin();
    const objects = [...good, ...bad.map((f) => f.object)];
    const file = join(db.dataDir, 'findings.json');
    writeFileSync(
      file,
      JSON.stringify({ type: 'bundle', id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d', objects }),
    );
    const expected = bad.map((f, i) => [
      good.length + i,
      `$.objects[${good.length + i}]${f.path.slice(1)}`,
      f.issue,
    ]);

    const validated = await json(['stix', 'validate', file], 1);
    assert.deepEqual(
      validated.issues
        .filter((i: Json) => i.severity === 'error')
        .map((i: Json) => [Number(/^\$\.objects\[(\d+)\]/.exec(i.path)?.[1]), i.path, i.code]),
      expected,
    );

    const org = await json([
      'org',
      'create',
      '--name',
      'Wake County Board of Elections',
      '--kind',
      'government',
      '--role',
      'election-office',
      '--vetted',
      ...where,
    ]);
    // Refused objects: exit 2 (issue 10 §6).
    const imported = await json(['intel', 'import', file, '--org', org.id, '--tlp', 'green', ...where], 2);
    assert.equal(imported.stored, good.length);
    assert.deepEqual(
      imported.failures.map((f: Json) => {
        const [path, issue] = invalidAt(f.message);
        return [f.index, f.code, `$.objects[${f.index}]${path.slice(1)}`, issue];
      }),
      expected.map(([index, path, issue]) => [index, 'INVALID_STIX', path, issue]),
    );
  });
});
