// Issue 11 §1 through the CLI: `tabella member suspend` / `member reactivate` do what the web app's
// Suspend and Reactivate do — an invitee who never joined, reactivated, stays invited (and their
// invitation can be re-sent), a member who joined is active again, and a suspension ends sessions.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { type Db, openDatabase } from '../../src/db/index.ts';
import { tabella } from '../support/cli.ts';
import { describeEachEngine, type ScratchDatabase, scratchDatabase } from '../support/databases.ts';

// biome-ignore lint/suspicious/noExplicitAny: CLI output is JSON inspected dynamically
async function json(args: readonly string[], where: readonly string[]): Promise<any> {
  const r = await tabella([...args, ...where, '--json']);
  assert.equal(r.code, 0, `tabella ${args.join(' ')} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim());
}

async function fails(args: readonly string[], where: readonly string[], code: string): Promise<void> {
  const r = await tabella([...args, ...where]);
  assert.equal(r.code, 1, `tabella ${args.join(' ')} should fail; stdout: ${r.stdout}`);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, new RegExp(`\\b${code}\\b`), r.stderr);
}

describeEachEngine('tabella member suspend / reactivate', (engine) => {
  let scratch: ScratchDatabase;
  let where: string[];
  let db: Db | undefined;
  let orgId = '';
  before(async () => {
    scratch = await scratchDatabase(engine);
    where = ['--db', scratch.url, '--data-dir', scratch.dataDir];
    const org = await json(
      [
        'org',
        'create',
        '--name',
        'Dare County',
        '--kind',
        'government',
        '--role',
        'election-office',
        '--vetted',
      ],
      where,
    );
    orgId = org.id;
  });
  after(async () => {
    await db?.close();
    await scratch.cleanup();
  });

  const invite = (email: string) =>
    json(['member', 'create', '--org', orgId, '--email', email, '--role', 'analyst'], where);

  it('an invitee who never joined, reactivated, stays invited and can be sent a new link', async () => {
    const invited = await invite('never-joined@dare.example');
    const suspended = await json(['member', 'suspend', invited.id], where);
    assert.equal(suspended.status, 'suspended');
    await fails(['member', 'invite-resend', invited.id], where, 'INVITATION_NOT_PENDING');

    const back = await json(['member', 'reactivate', invited.id], where);
    assert.equal(back.status, 'invited', 'not shown active with no password');
    const resent = await json(['member', 'invite-resend', invited.id], where);
    assert.notEqual(resent.invitationUrl, invited.invitationUrl);
    assert.equal(resent.status, 'invited');
  });

  it('a member who joined is active again; suspending them ends their sessions', async () => {
    const invited = await invite('joined@dare.example');
    db = await openDatabase(scratch.url);
    const at = new Date().toISOString();
    await db.kysely
      .updateTable('members')
      .set({ status: 'active', password_hash: 'scrypt$placeholder' })
      .where('id', '=', invited.id)
      .execute();
    await db.kysely
      .insertInto('sessions')
      .values({
        id: 'session-of-joined',
        member_id: invited.id,
        csrf_token: 'csrf',
        mfa_passed: 0,
        created_at: at,
        last_seen_at: at,
        expires_at: '2999-01-01T00:00:00.000Z',
        absolute_expires_at: '2999-01-01T00:00:00.000Z',
      })
      .execute();

    assert.equal((await json(['member', 'suspend', invited.id], where)).status, 'suspended');
    const sessions = await db.kysely
      .selectFrom('sessions')
      .select('id')
      .where('member_id', '=', invited.id)
      .execute();
    assert.deepEqual(sessions, []);
    assert.equal((await json(['member', 'reactivate', invited.id], where)).status, 'active');

    const actions = (
      await db.kysely
        .selectFrom('audit_events')
        .select('action')
        .where('subject_id', '=', invited.id)
        .execute()
    ).map((e) => e.action);
    assert.equal(actions.filter((a) => a === 'member.update').length, 2);
  });

  it('an unknown member is NOT_FOUND, changing nothing', async () => {
    await fails(['member', 'suspend', 'mbr_nobody'], where, 'NOT_FOUND');
    await fails(['member', 'reactivate', 'mbr_nobody'], where, 'NOT_FOUND');
  });
});
