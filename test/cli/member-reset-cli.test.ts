// `tabella member reset` (issue 11 §2) as an operator runs it: a child process on a scratch
// database of each engine, printing a one-time reset link built like the invitation links.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { type Db, openDatabase } from '../../src/db/index.ts';
import { insertSession, tabella, tabellaFails, tabellaJson } from '../support/cli.ts';
import { describeEachEngine, type ScratchDatabase, scratchDatabase } from '../support/databases.ts';

describeEachEngine('tabella member reset', (engine) => {
  let scratch: ScratchDatabase;
  let where: string[];
  let db: Db;
  before(async () => {
    scratch = await scratchDatabase(engine);
    where = ['--db', scratch.url, '--data-dir', scratch.dataDir];
  });
  after(async () => {
    await db?.close();
    await scratch.cleanup();
  });

  it('prints a one-time link for the password and/or MFA, ends sessions and revokes tokens when asked', async () => {
    const org = await tabellaJson(
      [
        'org',
        'create',
        '--name',
        'Wake County',
        '--kind',
        'government',
        '--role',
        'election-office',
        '--vetted',
      ],
      where,
    );
    const invited = await tabellaJson(
      ['member', 'create', '--org', org.id, '--email', 'reset-me@example.org', '--role', 'analyst'],
      where,
    );
    // Not joined yet: an invitee gets a new invitation, not a reset.
    await tabellaFails(['member', 'reset', '--member', invited.id, '--password'], where, 'CONFLICT');

    db = await openDatabase(scratch.url);
    await db.kysely.updateTable('members').set({ status: 'active' }).where('id', '=', invited.id).execute();
    await insertSession(db, invited.id, 'session-digest');
    const token = await tabellaJson(['token', 'create', '--member', invited.id], where);

    await tabellaFails(['member', 'reset', '--member', invited.id], where, 'VALIDATION_FAILED');
    await tabellaFails(['member', 'reset', '--member', 'mbr_nobody', '--mfa'], where, 'NOT_FOUND');

    const first = await tabella(['member', 'reset', '--member', invited.id, '--password', ...where]);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /reset link \(shown once, valid until [^)]+\): \S+\/reset\/\S+\n$/);
    assert.match(first.stdout, /1 session\(s\) ended, 0 token\(s\) revoked/);
    // No server has recorded its address on this database: the link's address is a guess, said so.
    assert.match(first.stderr, /TABELLA_PUBLIC_URL/);
    const sessions = await db.kysely
      .selectFrom('sessions')
      .select('id')
      .where('member_id', '=', invited.id)
      .execute();
    assert.equal(sessions.length, 0);

    const reset = await tabellaJson(
      ['member', 'reset', '--member', invited.id, '--password', '--mfa', '--revoke-tokens'],
      where,
    );
    assert.equal(reset.memberId, invited.id);
    assert.equal(reset.password, true);
    assert.equal(reset.mfa, true);
    assert.equal(reset.tokensRevoked, 1);
    // The link is built like the invitation links `member create` prints (the instance's public URL).
    assert.equal(new URL(reset.resetUrl).origin, new URL(invited.invitationUrl).origin);
    assert.match(new URL(reset.resetUrl).pathname, /^\/reset\/[A-Za-z0-9_-]{40,}$/);
    const hours = (Date.parse(reset.expiresAt) - Date.now()) / 3600_000;
    assert.ok(hours > 23.9 && hours <= 24, String(hours));

    const tok = await db.kysely
      .selectFrom('api_tokens')
      .select('revoked_at')
      .where('id', '=', token.id)
      .executeTakeFirstOrThrow();
    assert.notEqual(tok.revoked_at, null);
    // Only the newest link is live; the first one was replaced.
    const links = await db.kysely
      .selectFrom('reset_links')
      .select(['revoked_at', 'used_at'])
      .where('member_id', '=', invited.id)
      .orderBy('created_at')
      .execute();
    assert.equal(links.length, 2);
    assert.equal(links.filter((l) => l.revoked_at === null && l.used_at === null).length, 1);
    const actions = (
      await db.kysely
        .selectFrom('audit_events')
        .select('action')
        .where('subject_id', '=', invited.id)
        .execute()
    ).map((e) => e.action);
    assert.equal(actions.filter((a) => a === 'member.reset.issue').length, 2);
  });
});
