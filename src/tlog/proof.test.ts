import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { TlogVerifyError } from './errors.ts';
import { EMPTY_ROOT, hashChildren, hashLeaf } from './hash.ts';
import { MemoryTree } from './memory-tree.ts';
import { consistencyProof, inclusionProof, planInclusion, treeRoot } from './proof-plan.ts';
import { rootFromInclusionProof, verifyConsistency, verifyInclusion } from './proof-verify.ts';

// The eight-leaf RFC 6962 test tree used across the ecosystem (transparency-dev/merkle
// proof/verify_test.go, certificate-transparency-go merkletree tests).
const LEAVES = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map((h) => Buffer.from(h, 'hex'));
const ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
].map((h) => Buffer.from(h, 'hex'));
const root = (size: number) => ROOTS[size] as Buffer;

// Published proofs: [leaf index (0-based), tree size, proof].
const INCLUSION: readonly [number, number, readonly string[]][] = [
  [0, 1, []],
  [
    0,
    8,
    [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  ],
  [
    5,
    8,
    [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  ],
  [2, 3, ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125']],
  [
    1,
    5,
    [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  ],
];
const CONSISTENCY: readonly [number, number, readonly string[]][] = [
  [1, 1, []],
  [
    1,
    8,
    [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  ],
  [
    6,
    8,
    [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  ],
  [
    2,
    5,
    [
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  ],
  [
    6,
    7,
    [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  ],
];

// RFC 9162 §2.1.1, §2.1.3.1 and §2.1.4.1 written out literally over leaf lists: an independent
// reference for every proof of the test tree.
function mth(d: readonly Buffer[]): Buffer {
  if (d.length === 0) return EMPTY_ROOT;
  if (d.length === 1) return hashLeaf(d[0] as Buffer);
  let k = 1;
  while (k * 2 < d.length) k *= 2;
  return hashChildren(mth(d.slice(0, k)), mth(d.slice(k)));
}
function path(m: number, d: readonly Buffer[]): Buffer[] {
  if (d.length <= 1) return [];
  let k = 1;
  while (k * 2 < d.length) k *= 2;
  return m < k
    ? [...path(m, d.slice(0, k)), mth(d.slice(k))]
    : [...path(m - k, d.slice(k)), mth(d.slice(0, k))];
}
function subproof(m: number, d: readonly Buffer[], b: boolean): Buffer[] {
  if (m === d.length) return b ? [] : [mth(d)];
  let k = 1;
  while (k * 2 < d.length) k *= 2;
  return m <= k
    ? [...subproof(m, d.slice(0, k), b), mth(d.slice(k))]
    : [...subproof(m - k, d.slice(k), false), mth(d.slice(0, k))];
}

const hex = (proof: readonly Uint8Array[]) => proof.map((p) => Buffer.from(p).toString('hex'));

function testTree(): MemoryTree {
  const tree = new MemoryTree();
  for (const leaf of LEAVES) tree.appendEntry(leaf);
  return tree;
}

/** Flips bit `bit` (0 = lowest bit of byte 0). */
function flip(b: Buffer, bit: number): void {
  const i = Math.floor(bit / 8);
  b[i] = (b[i] as number) ^ (1 << (bit % 8));
}

function assertCode(fn: () => unknown, code: string): void {
  assert.throws(fn, (e: unknown) => e instanceof TlogVerifyError && e.code === code);
}

describe('RFC 6962 test tree', () => {
  const tree = testTree();

  it('has the published root for every size 0–8', () => {
    for (let size = 0; size <= 8; size++) {
      assert.equal(
        Buffer.from(treeRoot(tree, size)).toString('hex'),
        root(size).toString('hex'),
        `size ${size}`,
      );
      assert.deepEqual(mth(LEAVES.slice(0, size)), root(size));
    }
  });

  it('generates the published inclusion proofs', () => {
    for (const [index, size, want] of INCLUSION)
      assert.deepEqual(hex(inclusionProof(tree, index, size)), want);
  });

  it('generates the published consistency proofs', () => {
    for (const [m, n, want] of CONSISTENCY) assert.deepEqual(hex(consistencyProof(tree, m, n)), want);
  });

  it('generates every inclusion proof as RFC 9162 §2.1.3.1 defines it, and each verifies', () => {
    for (let size = 1; size <= 8; size++) {
      for (let index = 0; index < size; index++) {
        const proof = inclusionProof(tree, index, size);
        assert.deepEqual(hex(proof), hex(path(index, LEAVES.slice(0, size))), `${index}/${size}`);
        verifyInclusion(hashLeaf(LEAVES[index] as Buffer), index, size, proof, root(size));
      }
    }
  });

  it('generates every consistency proof as RFC 9162 §2.1.4.1 defines it, and each verifies', () => {
    for (let n = 1; n <= 8; n++) {
      for (let m = 1; m <= n; m++) {
        const proof = consistencyProof(tree, m, n);
        const want = m === n ? [] : subproof(m, LEAVES.slice(0, n), true);
        assert.deepEqual(hex(proof), hex(want), `${m}→${n}`);
        verifyConsistency(m, n, proof, root(m), root(n));
      }
    }
  });
});

describe('when an inclusion proof is tampered with', () => {
  const tree = testTree();
  for (const [index, size] of [
    [0, 8],
    [5, 8],
    [2, 3],
    [1, 5],
    [6, 7],
  ] as const) {
    it(`rejects every mutation of the proof of ${index} in ${size}`, () => {
      const leaf = hashLeaf(LEAVES[index] as Buffer);
      const proof = inclusionProof(tree, index, size);
      const some = Buffer.alloc(32, 0xab);
      const probes: [number, number, Uint8Array, Uint8Array[], Uint8Array][] = [
        [index - 1, size, leaf, proof, root(size)],
        [index + 1, size, leaf, proof, root(size)],
        [index ^ 2, size, leaf, proof, root(size)],
        [index, size * 2, leaf, proof, root(size)],
        [index, Math.floor(size / 2), leaf, proof, root(size)],
        [index, size, Buffer.from('WrongLeaf'), proof, root(size)],
        [index, size, leaf, proof, EMPTY_ROOT],
        [index, size, leaf, proof, some],
        [index, size, leaf, [...proof, new Uint8Array(0)], root(size)],
        [index, size, leaf, [...proof, root(size)], root(size)],
        [index, size, leaf, [root(size), ...proof], root(size)],
        [index, size, leaf, proof.slice(0, -1), root(size)],
        [index, size, leaf, [...proof.slice(0, 1), some, ...proof.slice(1)], root(size)],
        ...proof.map((_, i): [number, number, Uint8Array, Uint8Array[], Uint8Array] => {
          const bad = proof.map((p) => Buffer.from(p));
          flip(bad[i] as Buffer, 3);
          return [index, size, leaf, bad, root(size)];
        }),
      ];
      for (const [i, s, l, p, r] of probes) assertCode(() => verifyInclusion(l, i, s, p, r), 'INVALID_PROOF');
    });
  }

  it('rejects indexes outside the tree', () => {
    const some = Buffer.alloc(32, 1);
    for (const [i, s] of [
      [0, 0],
      [1, 0],
      [2, 1],
      [-1, 4],
      [0.5, 4],
    ] as const)
      assertCode(() => rootFromInclusionProof(some, i, s, []), 'INVALID_PROOF');
  });
});

describe('when a consistency proof is tampered with', () => {
  const tree = testTree();
  for (const [m, n] of [
    [1, 8],
    [6, 8],
    [2, 5],
    [6, 7],
    [3, 7],
  ] as const) {
    it(`rejects every mutation of the proof ${m}→${n}`, () => {
      const proof = consistencyProof(tree, m, n);
      const [r1, r2] = [root(m), root(n)];
      const probes: [number, number, Uint8Array, Uint8Array, Uint8Array[]][] = [
        [m - 1, n, r1, r2, proof],
        [m + 1, n, r1, r2, proof],
        [m ^ 2, n, r1, r2, proof],
        [m, n * 2, r1, r2, proof],
        [m, Math.floor(n / 2), r1, r2, proof],
        [m, n, Buffer.alloc(32, 7), r2, proof],
        [m, n, r1, Buffer.alloc(32, 7), proof],
        [m, n, r2, r1, proof],
        [m, n, r1, r2, []],
        [m, n, r1, r2, [...proof, new Uint8Array(0)]],
        [m, n, r1, r2, [...proof, r1]],
        [m, n, r1, r2, [...proof, r2]],
        [m, n, r1, r2, [r1, ...proof]],
        [m, n, r1, r2, [r2, ...proof]],
        [m, n, r1, r2, [proof[0] as Uint8Array, ...proof]],
        [m, n, r1, r2, proof.slice(0, -1)],
        ...proof.map((_, i): [number, number, Uint8Array, Uint8Array, Uint8Array[]] => {
          const bad = proof.map((p) => Buffer.from(p));
          flip(bad[i] as Buffer, 4);
          return [m, n, r1, r2, bad];
        }),
      ];
      for (const [a, b, x, y, p] of probes)
        assertCode(() => verifyConsistency(a, b, p, x, y), 'INCONSISTENT_HISTORY');
    });
  }

  it('accepts the trivial cases and rejects their corruptions', () => {
    const [r0, r1] = [Buffer.alloc(32, 1), Buffer.alloc(32, 2)];
    verifyConsistency(0, 0, [], r0, r0);
    verifyConsistency(0, 5, [], r0, r1);
    verifyConsistency(3, 3, [], r1, r1);
    assertCode(() => verifyConsistency(3, 3, [], r0, r1), 'INCONSISTENT_HISTORY');
    assertCode(() => verifyConsistency(1, 0, [], r0, r1), 'INCONSISTENT_HISTORY');
    assertCode(() => verifyConsistency(1, 2, [], r0, r1), 'INCONSISTENT_HISTORY');
    assertCode(() => verifyConsistency(0, 1, [EMPTY_ROOT], r0, r1), 'INCONSISTENT_HISTORY');
    assertCode(() => verifyConsistency(1, 1, [EMPTY_ROOT], r1, r1), 'INCONSISTENT_HISTORY');
  });
});

describe('proof generation', () => {
  it('refuses an index outside the tree', () => {
    assertCode(() => planInclusion(8, 8), 'MALFORMED');
    assertCode(() => planInclusion(-1, 8), 'MALFORMED');
    assertCode(() => consistencyProof(testTree(), 5, 4), 'MALFORMED');
  });

  it('reads O(log n) hashes at 10,000,000 entries', () => {
    assert.ok(planInclusion(9_876_543, 10_000_000).nodes.length <= 2 * 24);
  });
});

describe('properties', () => {
  const tree = new MemoryTree();
  const entries: Buffer[] = [];
  for (let i = 0; i < 600; i++) {
    const entry = Buffer.from(`entry ${i}`);
    entries.push(entry);
    tree.appendEntry(entry);
  }
  const rootOf = (size: number) => treeRoot(tree, size);
  const sizeAndIndex = fc
    .integer({ min: 1, max: 600 })
    .chain((size) => fc.tuple(fc.constant(size), fc.nat(size - 1)));
  const twoSizes = fc
    .tuple(fc.integer({ min: 0, max: 600 }), fc.integer({ min: 0, max: 600 }))
    .map(([a, b]): [number, number] => (a <= b ? [a, b] : [b, a]));

  it('every generated inclusion proof verifies, and any single-bit change fails', () => {
    fc.assert(
      fc.property(sizeAndIndex, fc.nat(), ([size, index], bit) => {
        const proof = inclusionProof(tree, index, size);
        const leaf = hashLeaf(entries[index] as Buffer);
        const r = rootOf(size);
        verifyInclusion(leaf, index, size, proof, r);
        // Flip one bit anywhere in leaf hash, proof or root.
        const parts = [leaf, ...proof, r].map((p) => Buffer.from(p));
        const total = parts.length * 256;
        const at = bit % total;
        const part = parts[Math.floor(at / 256)] as Buffer;
        flip(part, at % 256);
        const [l2, ...rest] = parts;
        const r2 = rest.pop() as Buffer;
        assertCode(() => verifyInclusion(l2 as Buffer, index, size, rest, r2), 'INVALID_PROOF');
      }),
      { numRuns: 200 },
    );
  });

  it('every generated consistency proof verifies, and any single-bit change fails', () => {
    fc.assert(
      fc.property(twoSizes, fc.nat(), ([m, n], bit) => {
        const proof = consistencyProof(tree, m, n);
        verifyConsistency(m, n, proof, rootOf(m), rootOf(n));
        if (m === 0) return; // nothing to corrupt: every tree extends the empty one
        const parts = [rootOf(m), rootOf(n), ...proof].map((p) => Buffer.from(p));
        const at = bit % (parts.length * 256);
        const part = parts[Math.floor(at / 256)] as Buffer;
        flip(part, at % 256);
        const [r1, r2, ...rest] = parts;
        assertCode(() => verifyConsistency(m, n, rest, r1 as Buffer, r2 as Buffer), 'INCONSISTENT_HISTORY');
      }),
      { numRuns: 200 },
    );
  });
});
