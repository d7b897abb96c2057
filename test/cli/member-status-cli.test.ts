// Issue 11 §1 through the CLI: `tabella member suspend` / `member reactivate` do what the web app's
// Suspend and Reactivate do — an invitee who never joined, reactivated, stays invited (and their
// invitation can be re-sent), a member who joined is active again, and a suspension ends sessions.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { type Db, openDatabase } from '../../src/db/index.ts';
import { insertSession, tabellaFails, tabellaJson } from '../support/cli.ts';
import { describeEachEngine, type ScratchDatabase, scratchDatabase } from '../support/databases.ts';

describeEachEngine('tabella member suspend / reactivate', (engine) => {
  let scratch: ScratchDatabase;
  let where: string[];
  let db: Db | undefined;
  let orgId = '';
  before(async () => {
    scratch = await scratchDatabase(engine);
    where = ['--db', scratch.url, '--data-dir', scratch.dataDir];
    const org = await tabellaJson(
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
    tabellaJson(['member', 'create', '--org', orgId, '--email', email, '--role', 'analyst'], where);

  it('an invitee who never joined, reactivated, stays invited and can be sent a new link', async () => {
    const invited = await invite('never-joined@dare.example');
    const suspended = await tabellaJson(['member', 'suspend', invited.id], where);
    assert.equal(suspended.status, 'suspended');
    await tabellaFails(['member', 'invite-resend', invited.id], where, 'INVITATION_NOT_PENDING');

    const back = await tabellaJson(['member', 'reactivate', invited.id], where);
    assert.equal(back.status, 'invited', 'not shown active with no password');
    const resent = await tabellaJson(['member', 'invite-resend', invited.id], where);
    assert.notEqual(resent.invitationUrl, invited.invitationUrl);
    assert.equal(resent.status, 'invited');
  });

  it('a member who joined is active again; suspending them ends their sessions', async () => {
    const invited = await invite('joined@dare.example');
    db = await openDatabase(scratch.url);
    await db.kysely
      .updateTable('members')
      .set({ status: 'active', password_hash: 'scrypt$placeholder' })
      .where('id', '=', invited.id)
      .execute();
    await insertSession(db, invited.id, 'session-of-joined');

    assert.equal((await tabellaJson(['member', 'suspend', invited.id], where)).status, 'suspended');
    const sessions = await db.kysely
      .selectFrom('sessions')
      .select('id')
      .where('member_id', '=', invited.id)
      .execute();
    assert.deepEqual(sessions, []);
    assert.equal((await tabellaJson(['member', 'reactivate', invited.id], where)).status, 'active');

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
    await tabellaFails(['member', 'suspend', 'mbr_nobody'], where, 'NOT_FOUND');
    await tabellaFails(['member', 'reactivate', 'mbr_nobody'], where, 'NOT_FOUND');
  });
});
