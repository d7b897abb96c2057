import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { formatEntryBundle, parseEntryBundle } from './entry-bundle.ts';
import { TlogVerifyError } from './errors.ts';
import { hashLeaf } from './hash.ts';
import { MemoryTree } from './memory-tree.ts';
import { consistencyProof, inclusionProof, treeRoot } from './proof-plan.ts';
import { partialTilesOfTree, tilesOfTree } from './tile-math.ts';
import { entriesPath, formatTileIndex, parseTilePath, tilePath } from './tile-path.ts';
import { tileHashReader } from './tile-reader.ts';
import { type TileData, TreeBuilder } from './tree-builder.ts';

function assertCode(fn: () => unknown, code: string): void {
  assert.throws(fn, (e: unknown) => e instanceof TlogVerifyError && e.code === code);
}

describe('tile paths (C2SP tlog-tiles)', () => {
  it('encodes the index in x-prefixed three-digit groups, as the spec example shows', () => {
    assert.equal(formatTileIndex(1234067), 'x001/x234/067');
    assert.equal(formatTileIndex(0), '000');
    assert.equal(formatTileIndex(999), '999');
    assert.equal(formatTileIndex(1000), 'x001/000');
    assert.equal(tilePath({ level: 0, index: 1234067, width: 256 }), 'tile/0/x001/x234/067');
    assert.equal(tilePath({ level: 2, index: 0, width: 1 }), 'tile/2/000.p/1');
    assert.equal(entriesPath(1234067, 8), 'tile/entries/x001/x234/067.p/8');
    assert.equal(entriesPath(5, 256), 'tile/entries/005');
  });

  it('parses exactly what it formats', () => {
    fc.assert(
      fc.property(
        fc.nat(63),
        fc.nat({ max: 2 ** 40 }),
        fc.integer({ min: 1, max: 256 }),
        (level, index, width) => {
          assert.deepEqual(parseTilePath(tilePath({ level, index, width })), {
            kind: 'tile',
            tile: { level, index, width },
          });
          assert.deepEqual(parseTilePath(entriesPath(index, width)), { kind: 'entries', index, width });
        },
      ),
    );
  });

  it('rejects non-canonical and out-of-range paths', () => {
    for (const path of [
      'tile/0/1',
      'tile/0/0001',
      'tile/0/x000/001',
      'tile/00/000',
      'tile/64/000',
      'tile/0/000.p/0',
      'tile/0/000.p/256',
      'tile/0/000.p/08',
      'tile/0/001/002',
      'tile/0/x001',
      'tile/entries/x1/000',
      'tile/0/000/',
      '/tile/0/000',
      'tile/0/x001/x002/x003/x004/x005/x006/007',
      'tile/-1/000',
    ])
      assertCode(() => parseTilePath(path), 'MALFORMED');
  });

  it('lists the tiles of a tree of 70,000 as the spec does', () => {
    const tiles = [...tilesOfTree(70_000)];
    const at = (level: number) => tiles.filter((t) => t.level === level);
    assert.equal(at(0).filter((t) => t.width === 256).length, 273);
    assert.deepEqual(at(0).at(-1), { level: 0, index: 273, width: 112 });
    assert.deepEqual(at(1), [
      { level: 1, index: 0, width: 256 },
      { level: 1, index: 1, width: 17 },
    ]);
    assert.deepEqual(at(2), [{ level: 2, index: 0, width: 1 }]);
    assert.deepEqual(partialTilesOfTree(256), [{ level: 1, index: 0, width: 1 }]);
    assert.deepEqual([...tilesOfTree(0)], []);
  });
});

describe('entry bundles', () => {
  it('round-trips entries with 2-byte big-endian lengths', () => {
    const bundle = formatEntryBundle([Buffer.from('a'), Buffer.alloc(0), Buffer.from('bc')]);
    assert.deepEqual(bundle, Buffer.from([0, 1, 0x61, 0, 0, 0, 2, 0x62, 0x63]));
    assert.deepEqual(
      parseEntryBundle(bundle, 3).map((e) => Buffer.from(e).toString()),
      ['a', '', 'bc'],
    );
  });

  it('rejects truncated, oversized and miscounted bundles', () => {
    assertCode(() => parseEntryBundle(Buffer.from([0, 3, 1, 2])), 'MALFORMED');
    assertCode(() => parseEntryBundle(Buffer.from([0])), 'MALFORMED');
    assertCode(() => parseEntryBundle(Buffer.from([0, 0]), 2), 'MALFORMED');
    assertCode(() => parseEntryBundle(Buffer.alloc(257 * 2)), 'MALFORMED');
    assertCode(() => formatEntryBundle([Buffer.alloc(65_536)]), 'MALFORMED');
  });
});

describe('TreeBuilder', () => {
  const SIZE = 70_000;
  const builder = new TreeBuilder();
  const reference = new MemoryTree();
  const full: TileData[] = [];
  const roots = new Map<number, Buffer>();
  for (let i = 0; i < SIZE; i++) {
    const leaf = builder.appendEntry(Buffer.from(`e${i}`));
    reference.appendLeafHash(leaf);
    if (i % 4999 === 0 || i === SIZE - 1) roots.set(i + 1, Buffer.from(builder.root()));
    full.push(...builder.takeFullTiles());
  }
  const partial = builder.partialTiles();
  const files = new Map([...full, ...partial].map((t) => [tilePath(t.tile), t.hashes]));
  const reader = tileHashReader(SIZE, (t) => files.get(tilePath(t)));

  it('has the root of the reference tree at every size it was asked', () => {
    for (const [size, root] of roots)
      assert.deepEqual(root, Buffer.from(treeRoot(reference, size)), `size ${size}`);
  });

  it('hands out exactly the tiles the tree has, with the reference hashes', () => {
    assert.deepEqual(
      [...full, ...partial].map((t) => t.tile).sort((a, b) => a.level - b.level || a.index - b.index),
      [...tilesOfTree(SIZE)],
    );
    assert.deepEqual(
      partial.map((t) => t.tile),
      partialTilesOfTree(SIZE),
    );
    const tile = files.get('tile/1/000') ?? new Uint8Array();
    assert.deepEqual(
      Buffer.from(tile.subarray(32 * 7, 32 * 8)),
      Buffer.from(reference.readHashes([{ level: 8, index: 7 }])[0] ?? []),
    );
  });

  it('serves the same proofs from tiles as the reference tree', () => {
    fc.assert(
      fc.property(fc.nat(SIZE - 1), fc.integer({ min: 1, max: SIZE }), (index, old) => {
        assert.deepEqual(
          inclusionProof(reader, index, SIZE),
          inclusionProof(reference, index, SIZE).map((h) => Buffer.from(h)),
        );
        assert.deepEqual(
          consistencyProof(reader, old, SIZE).map((h) => Buffer.from(h)),
          consistencyProof(reference, old, SIZE).map((h) => Buffer.from(h)),
        );
      }),
      { numRuns: 50 },
    );
  });

  it('resumes from its partial tiles and keeps building the same tree', () => {
    const resumed = TreeBuilder.resume(SIZE, partial);
    assert.deepEqual(Buffer.from(resumed.root()), Buffer.from(builder.root()));
    const more = new TreeBuilder();
    for (let i = 0; i < SIZE + 300; i++) more.appendEntry(Buffer.from(`e${i}`));
    for (let i = SIZE; i < SIZE + 300; i++) resumed.appendEntry(Buffer.from(`e${i}`));
    assert.deepEqual(Buffer.from(resumed.root()), Buffer.from(more.root()));
    assert.deepEqual(resumed.partialTiles(), more.partialTiles());
    assert.deepEqual(
      resumed.takeFullTiles().map((t) => tilePath(t.tile)),
      ['tile/0/273'],
    );
  });

  it('refuses to resume without the right partial tiles', () => {
    assertCode(() => TreeBuilder.resume(SIZE, partial.slice(1)), 'MALFORMED');
    assertCode(() => TreeBuilder.resume(SIZE + 1, partial), 'MALFORMED');
    const small = partial.map((t) => ({ ...t, hashes: t.hashes.subarray(32) }));
    assertCode(() => TreeBuilder.resume(SIZE, small), 'MALFORMED');
  });

  it('resumes an empty tree and trees of every small size', () => {
    for (let size = 0; size <= 520; size += 37) {
      const b = new TreeBuilder();
      for (let i = 0; i < size; i++) b.appendLeafHash(hashLeaf(Buffer.from([i % 256, i >> 8])));
      assert.deepEqual(Buffer.from(TreeBuilder.resume(size, b.partialTiles()).root()), Buffer.from(b.root()));
    }
  });

  it('reports a missing tile through the reader', () => {
    const missing = tileHashReader(SIZE, () => undefined);
    assertCode(() => inclusionProof(missing, 5, SIZE), 'MISSING_TILE');
    const short = tileHashReader(SIZE, () => new Uint8Array(3));
    assertCode(() => inclusionProof(short, 5, SIZE), 'MALFORMED');
  });
});
