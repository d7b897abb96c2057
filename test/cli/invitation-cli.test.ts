// Issue 11 §1 through the CLI: invitation links carry the instance's public URL, and an
// invitation is re-sent (`member invite-resend`) or revoked (`member invite-revoke`).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, it } from 'node:test';
import { systemClock } from '../../src/core/clock.ts';
import { loadConfig } from '../../src/core/config.ts';
import { openDatabase } from '../../src/db/index.ts';
import { describeInvitation } from '../../src/features/membership/index.ts';
import { BIN, cleanEnv, ROOT, tabella } from '../support/cli.ts';
import { describeEachEngine, type ScratchDatabase, scratchDatabase } from '../support/databases.ts';
import { freePort } from '../support/ports.ts';

// biome-ignore lint/suspicious/noExplicitAny: CLI output is JSON inspected dynamically
async function json(args: readonly string[], env: Record<string, string> = {}): Promise<any> {
  const r = await tabella([...args, '--json'], env);
  assert.equal(r.code, 0, `tabella ${args.join(' ')} failed: ${r.stderr}`);
  return { ...JSON.parse(r.stdout.trim()), stderr: r.stderr };
}

describeEachEngine('tabella CLI: invitation links and their re-sending', (engine) => {
  let db: ScratchDatabase;
  let where: string[];
  let orgId = '';
  before(async () => {
    db = await scratchDatabase(engine);
    where = engine === 'sqlite' ? ['--data-dir', db.dataDir] : ['--db', db.url];
    const org = await json([
      'org',
      'create',
      '--name',
      'Link County',
      '--kind',
      'government',
      '--role',
      'election-office',
      '--vetted',
      ...where,
    ]);
    orgId = org.id;
  });
  after(async () => db.cleanup());

  /** Whether an invitation link works, asked of the database directly. */
  async function works(url: string): Promise<boolean> {
    const opened = await openDatabase(db.url);
    try {
      const ctx = {
        db: opened.kysely,
        clock: systemClock,
        config: loadConfig({}, {}),
        actor: { kind: 'anonymous' },
      } as const;
      await describeInvitation(ctx, url.split('/').pop() ?? '');
      return true;
    } catch {
      return false;
    } finally {
      await opened.close();
    }
  }

  const invite = (email: string, env: Record<string, string> = {}) =>
    json(['member', 'create', '--org', orgId, '--email', email, '--role', 'admin', ...where], env);

  it('uses TABELLA_PUBLIC_URL, else the address the server recorded at start; says so when it guesses', async () => {
    const guessed = await invite('guess@link.example');
    assert.match(guessed.invitationUrl, /^http:\/\/localhost:8080\/invite\//);
    assert.match(guessed.stderr, /TABELLA_PUBLIC_URL/, 'a guessed address is pointed out');

    const set = await invite('set@link.example', { TABELLA_PUBLIC_URL: 'https://isac.example.org/' });
    assert.match(set.invitationUrl, /^https:\/\/isac\.example\.org\/invite\/[A-Za-z0-9_-]{43}$/);
    assert.equal(set.stderr, '');

    // A server started once on this database records its address; the CLI uses it from then on.
    const port = await freePort();
    const server = spawn(
      process.execPath,
      [BIN, 'serve', '--port', String(port), '--host', '127.0.0.1', '--data-dir', db.dataDir, '--db', db.url],
      {
        cwd: ROOT,
        env: cleanEnv(),
      },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        let seen = '';
        const timer = setTimeout(() => reject(new Error(`server did not start: ${seen}`)), 30_000);
        server.stdout.on('data', (d: Buffer) => {
          seen += d.toString();
          if (/Tabella is running at/.test(seen)) {
            clearTimeout(timer);
            resolve();
          }
        });
        server.stderr.on('data', (d: Buffer) => {
          seen += d.toString();
        });
        server.on('exit', (code) => reject(new Error(`server exited with ${code}: ${seen}`)));
      });
    } finally {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
    const recorded = await invite('recorded@link.example');
    assert.ok(recorded.invitationUrl.startsWith(`http://127.0.0.1:${port}/invite/`), recorded.invitationUrl);
    assert.equal(recorded.stderr, '');
    // The environment still wins.
    const env = await invite('env@link.example', { TABELLA_PUBLIC_URL: 'https://isac.example.org' });
    assert.ok(env.invitationUrl.startsWith('https://isac.example.org/invite/'));
  });

  it('re-sends (by e-mail or id: the old link stops working) and revokes (the address is free again)', async () => {
    const first = await invite('lost@link.example', { TABELLA_PUBLIC_URL: 'https://isac.example.org' });
    assert.equal(await works(first.invitationUrl), true);
    const resent = await json(['member', 'invite-resend', 'LOST@link.example', ...where], {
      TABELLA_PUBLIC_URL: 'https://isac.example.org',
    });
    assert.equal(resent.id, first.id);
    assert.equal(resent.status, 'invited');
    assert.match(resent.invitationUrl, /^https:\/\/isac\.example\.org\/invite\//);
    assert.notEqual(resent.invitationUrl, first.invitationUrl);
    assert.equal(await works(first.invitationUrl), false, 'the old link is dead');
    assert.equal(await works(resent.invitationUrl), true);

    const human = await tabella(['member', 'invite-resend', first.id, ...where]);
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, /invitation link \(shown once\): http/);

    const revoked = await json(['member', 'invite-revoke', first.id, ...where]);
    assert.deepEqual([revoked.memberId, revoked.removed], [first.id, true]);
    assert.equal(await works(resent.invitationUrl), false);
    const again = await invite('lost@link.example');
    assert.notEqual(again.id, first.id);

    for (const args of [
      ['member', 'invite-revoke', first.id],
      ['member', 'invite-resend', 'nobody@link.example'],
    ]) {
      const r = await tabella([...args, ...where, '--json']);
      assert.equal(r.code, 1);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /\bNOT_FOUND\b/);
    }
  });
});
