// The CLI's part of issue 11: `tabella org rename` (applies at once), `org rename-approve` /
// `rename-reject` of a vetted organization's own request, `org list --rename-pending`, and
// `tabella setup-code`, run as a user runs them, on SQLite and PostgreSQL.
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { systemClock } from '../../src/core/clock.ts';
import { loadConfig } from '../../src/core/config.ts';
import { openDatabase } from '../../src/db/index.ts';
import { patchOrg } from '../../src/features/membership/index.ts';
import { tabella } from '../support/cli.ts';
import { describeEachEngine, type ScratchDatabase, scratchDatabase } from '../support/databases.ts';

// biome-ignore lint/suspicious/noExplicitAny: CLI output is JSON inspected dynamically
async function json(args: readonly string[]): Promise<any> {
  const r = await tabella([...args, '--json']);
  assert.equal(r.code, 0, `tabella ${args.join(' ')} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim());
}

describeEachEngine('tabella CLI: renames and the setup code', (engine) => {
  let db: ScratchDatabase;
  let where: string[];
  before(async () => {
    db = await scratchDatabase(engine);
    where = ['--db', db.url, '--data-dir', db.dataDir];
  });
  after(async () => db.cleanup());

  /** Files a rename request as the organization's own admin would (through the service). */
  async function requestRename(orgId: string, name: string): Promise<void> {
    const config = loadConfig({ db: db.url, dataDir: db.dataDir }, {});
    const opened = await openDatabase(config.db);
    try {
      await patchOrg(
        {
          db: opened.kysely,
          clock: systemClock,
          config,
          actor: {
            kind: 'member',
            memberId: 'mem_requester',
            orgId,
            orgStatus: 'vetted',
            isOperatorOrg: false,
            orgRole: 'election-office',
            roles: ['admin'],
            tier: 1,
            via: 'token',
          },
        },
        orgId,
        { name },
      );
    } finally {
      await opened.close();
    }
  }

  it('makes a setup code: printed, in <data dir>/setup-code with mode 0600, replaced by the next', async () => {
    const first = await json(['setup-code', ...where]);
    assert.equal(first.setupNeeded, true);
    assert.match(first.code, /^[0-9A-Z]{5}(-[0-9A-Z]{5}){3}$/);
    const file = join(db.dataDir, 'setup-code');
    assert.equal(first.file, file);
    assert.equal(readFileSync(file, 'utf8').trim(), first.code);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const second = await json(['setup-code', ...where]);
    assert.notEqual(second.code, first.code);
    assert.equal(readFileSync(file, 'utf8').trim(), second.code);
  });

  it('renames at once, and approves or rejects a vetted organization’s own request', async () => {
    const org = await json([
      'org',
      'create',
      '--name',
      'Orange County Board of Elections',
      '--kind',
      'government',
      '--role',
      'election-office',
      '--vetted',
      ...where,
    ]);
    const renamed = await json(['org', 'rename', org.id, '--name', 'Orange County Elections', ...where]);
    assert.equal(renamed.name, 'Orange County Elections');

    await requestRename(org.id, 'Orange County Election Office');
    const queue = await json(['org', 'list', '--rename-pending', ...where]);
    assert.deepEqual(
      queue.items.map((o: { id: string; pendingRename: { name: string } }) => [o.id, o.pendingRename.name]),
      [[org.id, 'Orange County Election Office']],
    );
    const approved = await json(['org', 'rename-approve', org.id, ...where]);
    assert.equal(approved.name, 'Orange County Election Office');

    await requestRename(org.id, 'Something Else Entirely');
    const rejected = await json(['org', 'rename-reject', org.id, ...where]);
    assert.equal(rejected.name, 'Orange County Election Office');
    const again = await tabella(['org', 'rename-reject', org.id, ...where]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /\bRENAME_NOT_PENDING\b/);

    // Look-alike names are refused to the CLI too.
    const lookAlike = await tabella([
      'org',
      'rename',
      org.id,
      '--name',
      'Orange County Board of Electi\u043ens',
      ...where,
    ]);
    assert.equal(lookAlike.code, 0, 'its own former name is free again');
    const other = await tabella([
      'org',
      'create',
      '--name',
      'ORANGE COUNTY BOARD OF ELECTIONS',
      '--kind',
      'government',
      '--role',
      'election-office',
      ...where,
    ]);
    assert.equal(other.code, 1);
    assert.match(other.stderr, /\bNAME_CONFUSABLE\b/);
  });
});
