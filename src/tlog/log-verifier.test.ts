import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Checkpoint, openCheckpoint, signCheckpoint } from './checkpoint.ts';
import { TlogVerifyError, type TlogVerifyErrorCode } from './errors.ts';
import { hashLeaf } from './hash.ts';
import { type VerifyTiledLogOptions, verifyTiledLog } from './log-verifier.ts';
import { MemoryTiledLog } from './memory-log.ts';
import { generateNoteKey, noteSignerFromKey, noteVerifierFromKey } from './note-signer.ts';
import { treeRoot } from './proof-plan.ts';
import { checkConsistency, checkInclusion } from './tile-client.ts';
import { tileHashReader } from './tile-reader.ts';

const ORIGIN = 'tabella.test/log';
const key = noteSignerFromKey(generateNoteKey(ORIGIN).signerKey);
const verifiers = [noteVerifierFromKey(key.verifierKey)];
const entry = (i: number) => Buffer.from(`{"action":"member.create","seq":${i}}`);
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => entry(from + i));

function logOf(size: number, edit?: (i: number) => Buffer): MemoryTiledLog {
  const log = new MemoryTiledLog(ORIGIN, [key]);
  log.append(Array.from({ length: size }, (_, i) => edit?.(i) ?? entry(i)));
  log.publish();
  return log;
}

function checkpointOf(log: MemoryTiledLog): Checkpoint {
  return openCheckpoint(log.files.get('checkpoint') ?? '', verifiers).checkpoint;
}

function verify(log: MemoryTiledLog, extra: Partial<VerifyTiledLogOptions> = {}) {
  return verifyTiledLog({
    checkpoint: log.files.get('checkpoint') ?? '',
    verifiers,
    fetch: log.fetch,
    ...extra,
  });
}

async function rejectsWith(
  promise: Promise<unknown>,
  code: TlogVerifyErrorCode,
  resource?: string,
): Promise<void> {
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(e instanceof TlogVerifyError, String(e));
    assert.equal(e.code, code);
    if (resource !== undefined) assert.equal(e.resource, resource);
    return true;
  });
}

function tamper(log: MemoryTiledLog, path: string, byte: number): void {
  const data = Buffer.from(log.files.get(path) ?? []);
  assert.ok(data.byteLength > byte, `${path} exists`);
  data[byte] = (data[byte] as number) ^ 0x01;
  log.files.set(path, data);
}

describe('verifyTiledLog', () => {
  it('accepts an honest log of every shape: empty, one entry, partial and full tiles', async () => {
    for (const size of [0, 1, 255, 256, 257, 600, 65_536]) {
      const result = await verify(logOf(size));
      assert.equal(result.checkpoint.size, size);
      assert.equal(result.entriesChecked, size);
    }
  });

  it('checks three tile levels at 70,000 entries', async () => {
    const result = await verify(logOf(70_000));
    // 274 level-0 tiles, 2 level-1 tiles, 1 level-2 tile (C2SP tlog-tiles example).
    assert.equal(result.tilesChecked, 277);
  });

  describe('when the log has been tampered with', () => {
    it('reports one changed entry as TILE_INCONSISTENT at its bundle', async () => {
      const log = logOf(600);
      tamper(log, 'tile/entries/001', 40);
      await rejectsWith(verify(log), 'TILE_INCONSISTENT', 'tile/entries/001');
    });

    it('reports one changed level-0 tile byte as TILE_INCONSISTENT', async () => {
      const log = logOf(600);
      tamper(log, 'tile/0/000', 100);
      await rejectsWith(verify(log), 'TILE_INCONSISTENT', 'tile/entries/000');
      await rejectsWith(verify(log, { checkEntries: false }), 'TILE_INCONSISTENT', 'tile/1/000.p/2');
    });

    it('reports one changed level-1 tile byte as TILE_INCONSISTENT', async () => {
      const log = logOf(70_000);
      tamper(log, 'tile/1/000', 5000);
      await rejectsWith(verify(log), 'TILE_INCONSISTENT', 'tile/1/000');
    });

    it('reports a changed partial tile with no tile above it as ROOT_MISMATCH', async () => {
      const log = logOf(600);
      tamper(log, 'tile/0/002.p/88', 0);
      await rejectsWith(verify(log, { checkEntries: false }), 'ROOT_MISMATCH');
    });

    it('reports a checkpoint the tiles do not support as ROOT_MISMATCH', async () => {
      const log = logOf(600);
      const lie = { ...checkpointOf(log), rootHash: hashLeaf(Buffer.from('lie')) };
      log.files.set('checkpoint', Buffer.from(signCheckpoint(lie, [key])));
      await rejectsWith(verify(log), 'ROOT_MISMATCH');
    });

    it('reports a changed checkpoint signature or body as BAD_SIGNATURE', async () => {
      const log = logOf(600);
      const note = (log.files.get('checkpoint') ?? Buffer.alloc(0)).toString();
      const at = note.length - 10;
      log.files.set(
        'checkpoint',
        Buffer.from(note.slice(0, at) + (note[at] === 'A' ? 'B' : 'A') + note.slice(at + 1)),
      );
      await rejectsWith(verify(log), 'BAD_SIGNATURE');
      const other = noteSignerFromKey(generateNoteKey(ORIGIN).signerKey);
      log.files.set('checkpoint', Buffer.from(signCheckpoint(checkpointOf(logOf(600)), [other])));
      await rejectsWith(verify(log), 'BAD_SIGNATURE');
    });

    it('reports a missing tile or bundle as MISSING_TILE', async () => {
      const log = logOf(600);
      log.files.delete('tile/0/001');
      await rejectsWith(verify(log), 'MISSING_TILE', 'tile/0/001');
      const log2 = logOf(600);
      log2.files.delete('tile/entries/002.p/88');
      await rejectsWith(verify(log2), 'MISSING_TILE', 'tile/entries/002.p/88');
    });

    it('reports a tile of the wrong length or a broken bundle as MALFORMED', async () => {
      const log = logOf(600);
      log.files.set('tile/0/001', Buffer.alloc(8191));
      await rejectsWith(verify(log), 'MALFORMED', 'tile/0/001');
      const log2 = logOf(600);
      log2.files.set('tile/entries/001', Buffer.from([0, 5, 1]));
      await rejectsWith(verify(log2), 'MALFORMED', 'tile/entries/001');
    });
  });

  describe('with an earlier checkpoint from a state file', () => {
    it('accepts a log that only grew', async () => {
      const log = logOf(300);
      const saved = checkpointOf(log);
      log.append(range(300, 900));
      log.publish();
      assert.equal((await verify(log, { previous: saved })).checkpoint.size, 900);
    });

    it('reports rewritten history as INCONSISTENT_HISTORY', async () => {
      const saved = checkpointOf(logOf(300));
      const rewritten = logOf(900, (i) => (i === 5 ? Buffer.from('rewritten') : entry(i)));
      await verify(rewritten); // consistent with itself…
      await rejectsWith(verify(rewritten, { previous: saved }), 'INCONSISTENT_HISTORY'); // …not with the past
    });

    it('reports a log that shrank as INCONSISTENT_HISTORY', async () => {
      const saved = checkpointOf(logOf(300));
      await rejectsWith(verify(logOf(200), { previous: saved }), 'INCONSISTENT_HISTORY');
    });
  });

  it('falls back to the full tile when a partial one was deleted', async () => {
    const log = logOf(600);
    const old = log.files.get('checkpoint') ?? '';
    log.append(range(600, 768));
    log.publish();
    log.files.delete('tile/0/002.p/88');
    log.files.delete('tile/entries/002.p/88');
    const result = await verifyTiledLog({ checkpoint: old, verifiers, fetch: log.fetch });
    assert.equal(result.checkpoint.size, 600);
  });
});

describe('light checks from tiles', () => {
  it('checks consistency between two checkpoints with O(log n) tiles', async () => {
    const log = logOf(1000);
    const older = checkpointOf(log);
    log.append(range(1000, 70_000));
    log.publish();
    const fetched: string[] = [];
    const counting = async (path: string) => {
      fetched.push(path);
      return log.fetch(path);
    };
    await checkConsistency(counting, older, checkpointOf(log));
    assert.ok(fetched.length <= 6, fetched.join(', '));
  });

  it('refuses a forked log', async () => {
    const older = checkpointOf(logOf(1000));
    const fork = logOf(2000, (i) => (i === 999 ? Buffer.from('fork') : entry(i)));
    await rejectsWith(checkConsistency(fork.fetch, older, checkpointOf(fork)), 'INCONSISTENT_HISTORY');
  });

  it('checks an inclusion receipt', async () => {
    const log = logOf(1000);
    const cp = checkpointOf(log);
    await checkInclusion(log.fetch, cp, 777, hashLeaf(entry(777)));
    await rejectsWith(checkInclusion(log.fetch, cp, 777, hashLeaf(entry(778))), 'INVALID_PROOF');
  });

  it('computes old roots from newer tiles', () => {
    const log = logOf(1000);
    const reader = tileHashReader(1000, (t) =>
      log.files.get(`tile/${t.level}/00${t.index}${t.width < 256 ? `.p/${t.width}` : ''}`),
    );
    assert.deepEqual(Buffer.from(treeRoot(reader, 300)), Buffer.from(checkpointOf(logOf(300)).rootHash));
  });
});
