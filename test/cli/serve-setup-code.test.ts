// Issue 11 §4 as an operator sees it: `tabella serve` on a fresh database prints the one-time setup
// code on its console and writes it to <data dir>/setup-code (mode 0600); a second node on the same
// database prints no code of its own (the first one holds it) and writes no file.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { describeEachEngine, type ScratchDatabase, scratchDatabase } from '../support/databases.ts';
import { type ServeOutcome, startServe } from '../support/serve-child.ts';

type Up = Extract<ServeOutcome, { kind: 'up' }>;

async function up(args: readonly string[], env: Record<string, string> = {}): Promise<Up> {
  const r = await startServe(args, { env });
  assert.equal(r.kind, 'up', r.kind === 'exited' ? r.stderr : '');
  return r as Up;
}

/** Waits until the node has said how to set up (it does so just after it starts listening). */
async function setupNote(node: Up): Promise<string> {
  const deadline = Date.now() + 15_000;
  while (!/\/setup\b/.test(node.stdout())) {
    assert.ok(Date.now() < deadline, `no setup note: ${node.stdout()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return node.stdout();
}

describeEachEngine('tabella serve: the first-run setup code on the console', (engine) => {
  let scratch: ScratchDatabase;
  let otherDir = '';
  const running: Up[] = [];
  before(async () => {
    scratch = await scratchDatabase(engine);
    otherDir = mkdtempSync(join(tmpdir(), 'tabella-second-node-'));
  });
  after(async () => {
    for (const node of running) await node.stop();
    rmSync(otherDir, { recursive: true, force: true });
    await scratch.cleanup();
  });

  it('the first node prints the code it wrote, mode 0600; a second node prints none', async () => {
    const first = await up(['--db', scratch.url, '--data-dir', scratch.dataDir]);
    running.push(first);
    const printed = await setupNote(first);
    const file = join(scratch.dataDir, 'setup-code');
    const code = readFileSync(file, 'utf8').trim();
    assert.match(code, /^[0-9A-Z]{5}(-[0-9A-Z]{5}){3}$/);
    assert.ok(printed.includes(code), 'the code is on the console');
    assert.equal(statSync(file).mode & 0o777, 0o600);

    // Another node of the same database, with the log key shared (docs/operations.md).
    const second = await up(['--db', scratch.url, '--data-dir', otherDir], {
      TABELLA_LOG_KEY_FILE: join(scratch.dataDir, 'log-signer.key'),
    });
    running.push(second);
    const note = await setupNote(second);
    assert.ok(!note.includes(code), 'the second node does not show the first one’s code');
    assert.doesNotMatch(note, /[0-9A-Z]{5}(-[0-9A-Z]{5}){3}/, 'nor a code of its own');
    assert.equal(existsSync(join(otherDir, 'setup-code')), false);
    // The code in force is still the first node's.
    assert.equal(readFileSync(file, 'utf8').trim(), code);
  });
});
