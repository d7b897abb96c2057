import { OP_ASSERT, OP_CLASS, OP_JMP, OP_MATCH, OP_SPLIT } from './opcodes.ts';
import type { Assertion, CharClass, RegexFlags } from './syntax.ts';

export interface Program {
  readonly ops: Uint8Array;
  readonly a: Int32Array;
  readonly b: Int32Array;
  readonly classes: readonly CharClass[];
  readonly asserts: readonly Assertion[];
  readonly flags: RegexFlags;
}

function inClass(cls: CharClass, cp: number): boolean {
  let hit = false;
  for (const [lo, hi] of cls.ranges) {
    if (cp >= lo && cp <= hi) {
      hit = true;
      break;
    }
  }
  return hit !== cls.negated;
}

function classMatches(cls: CharClass, cp: number, ignoreCase: boolean): boolean {
  if (inClass(cls, cp)) return true;
  if (!ignoreCase) return false;
  const ch = String.fromCodePoint(cp);
  const lower = ch.toLowerCase().codePointAt(0) ?? cp;
  const upper = ch.toUpperCase().codePointAt(0) ?? cp;
  return (lower !== cp && inClass(cls, lower)) || (upper !== cp && inClass(cls, upper));
}

const isWordCp = (cp: number | undefined): boolean =>
  cp !== undefined &&
  ((cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || cp === 0x5f || (cp >= 0x61 && cp <= 0x7a));

function assertionHolds(kind: Assertion, cps: readonly number[], pos: number, multiline: boolean): boolean {
  const n = cps.length;
  switch (kind) {
    case 'bol':
      return pos === 0 || (multiline && cps[pos - 1] === 10);
    case 'eol':
      return pos === n || (multiline ? cps[pos] === 10 : pos === n - 1 && cps[pos] === 10);
    case 'start':
      return pos === 0;
    case 'end':
      return pos === n;
    case 'end-or-newline':
      return pos === n || (pos === n - 1 && cps[pos] === 10);
    case 'word':
      return isWordCp(cps[pos - 1]) !== isWordCp(cps[pos]);
    case 'not-word':
      return isWordCp(cps[pos - 1]) === isWordCp(cps[pos]);
  }
}

/**
 * Pike VM: simulates every NFA thread in lock step, one input code point at a time. Each program
 * counter is added at most once per position, so the work is O(|input| × |program|) in the worst case.
 */
export function runProgram(p: Program, input: string): boolean {
  const cps = Array.from(input, (c) => c.codePointAt(0) ?? 0);
  const size = p.ops.length;
  let clist = new Int32Array(size);
  let nlist = new Int32Array(size);
  let ccount = 0;
  const mark = new Int32Array(size).fill(-1);
  const stack = new Int32Array(size * 2 + 2);
  const { multiline, ignoreCase } = p.flags;

  // Adds the thread at `pc` and every thread reachable through empty transitions at `pos`.
  const add = (list: Int32Array, count: number, pc0: number, pos: number, gen: number): number => {
    let sp = 0;
    stack[sp++] = pc0;
    let c = count;
    while (sp > 0) {
      const pc = stack[--sp]!;
      if (mark[pc] === gen) continue;
      mark[pc] = gen;
      const op = p.ops[pc];
      if (op === OP_JMP) stack[sp++] = p.a[pc]!;
      else if (op === OP_SPLIT) {
        stack[sp++] = p.b[pc]!;
        stack[sp++] = p.a[pc]!;
      } else if (op === OP_ASSERT) {
        if (assertionHolds(p.asserts[p.a[pc]!]!, cps, pos, multiline)) stack[sp++] = pc + 1;
      } else {
        if (op === OP_MATCH) return -1;
        list[c++] = pc;
      }
    }
    return c;
  };

  for (let pos = 0; pos <= cps.length; pos++) {
    // Search semantics: a new thread may start at every position (an implicit leading `.*?`).
    ccount = add(clist, ccount, 0, pos, pos);
    if (ccount < 0) return true;
    if (pos === cps.length) break;
    const cp = cps[pos]!;
    let ncount = 0;
    for (let i = 0; i < ccount; i++) {
      const pc = clist[i]!;
      if (p.ops[pc] === OP_CLASS && classMatches(p.classes[p.a[pc]!]!, cp, ignoreCase)) {
        ncount = add(nlist, ncount, pc + 1, pos + 1, pos + 1);
        if (ncount < 0) return true;
      }
    }
    [clist, nlist] = [nlist, clist];
    ccount = ncount;
  }
  return false;
}
