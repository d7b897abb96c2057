import { OP_ASSERT, OP_CLASS, OP_JMP, OP_MATCH, OP_SPLIT } from './opcodes.ts';
import { parseRegex } from './parse.ts';
import type { Assertion, CharClass, RegexNode } from './syntax.ts';
import { RegexSyntaxError } from './syntax.ts';
import { type Program, runProgram } from './vm.ts';

/** Largest compiled program, in instructions; bounds memory and the per-character cost. */
export const MAX_PROGRAM = 20_000;

class Emitter {
  readonly ops: number[] = [];
  readonly a: number[] = [];
  readonly b: number[] = [];
  readonly classes: CharClass[] = [];
  readonly asserts: Assertion[] = [];

  emit(op: number, a = 0, b = 0): number {
    if (this.ops.length >= MAX_PROGRAM) throw new RegexSyntaxError('regular expression too large', 0);
    this.ops.push(op);
    this.a.push(a);
    this.b.push(b);
    return this.ops.length - 1;
  }

  node(n: RegexNode): void {
    switch (n.t) {
      case 'empty':
        return;
      case 'class':
        this.classes.push(n.cls);
        this.emit(OP_CLASS, this.classes.length - 1);
        return;
      case 'assert':
        this.asserts.push(n.kind);
        this.emit(OP_ASSERT, this.asserts.length - 1);
        return;
      case 'cat':
        for (const item of n.items) this.node(item);
        return;
      case 'alt':
        this.alt(n.items, 0);
        return;
      case 'repeat':
        this.repeat(n.node, n.min, n.max);
        return;
    }
  }

  alt(items: readonly RegexNode[], from: number): void {
    const first = items[from];
    if (first === undefined) return;
    if (from === items.length - 1) {
      this.node(first);
      return;
    }
    const split = this.emit(OP_SPLIT);
    this.a[split] = this.ops.length;
    this.node(first);
    const jmp = this.emit(OP_JMP);
    this.b[split] = this.ops.length;
    this.alt(items, from + 1);
    this.a[jmp] = this.ops.length;
  }

  repeat(node: RegexNode, min: number, max: number): void {
    for (let i = 0; i < min; i++) this.node(node);
    if (max === Number.POSITIVE_INFINITY) {
      const split = this.emit(OP_SPLIT);
      this.a[split] = this.ops.length;
      this.node(node);
      this.emit(OP_JMP, split);
      this.b[split] = this.ops.length;
      return;
    }
    const splits: number[] = [];
    for (let i = min; i < max; i++) {
      const split = this.emit(OP_SPLIT);
      splits.push(split);
      this.a[split] = this.ops.length;
      this.node(node);
    }
    for (const split of splits) this.b[split] = this.ops.length;
  }
}

/** A compiled MATCHES expression. */
export interface CompiledRegex {
  /** True when the expression matches somewhere in `input` (PCRE search semantics). */
  test(input: string): boolean;
}

function programSize(n: RegexNode): number {
  switch (n.t) {
    case 'empty':
      return 0;
    case 'class':
    case 'assert':
      return 1;
    case 'cat':
      return n.items.reduce((sum, item) => sum + programSize(item), 0);
    case 'alt':
      return n.items.reduce((sum, item) => sum + programSize(item), 0) + 2 * (n.items.length - 1);
    case 'repeat': {
      const inner = programSize(n.node);
      const optional = n.max === Number.POSITIVE_INFINITY ? inner + 2 : (n.max - n.min) * (inner + 1);
      return n.min * inner + optional;
    }
  }
}

/**
 * Checks that a MATCHES expression is valid and supported without building its program (used by
 * the pattern parser; evaluation compiles it later).
 *
 * @throws {RegexSyntaxError}
 */
export function checkRegex(source: string): void {
  const { node } = parseRegex(source);
  if (programSize(node) + 1 > MAX_PROGRAM) throw new RegexSyntaxError('regular expression too large', 0);
}

class ProgramRegex implements CompiledRegex {
  readonly #program: Program;
  constructor(program: Program) {
    this.#program = program;
  }
  test(input: string): boolean {
    return runProgram(this.#program, input);
  }
}

/**
 * Compiles a MATCHES regular expression to a Thompson-NFA program run by a Pike VM: matching costs
 * O(input length × program size) and never backtracks, so no input can trigger catastrophic
 * backtracking (STIX 2.1 §9.6.2 allows arbitrary PCRE; see docs/stix-conformance.md).
 *
 * @throws {RegexSyntaxError} for invalid or unsupported (non-regular) constructs.
 * @example
 * compileRegex('^evil\\.(com|net)$').test('evil.net'); // true
 */
export function compileRegex(source: string): CompiledRegex {
  const { node, flags } = parseRegex(source);
  const e = new Emitter();
  e.node(node);
  e.emit(OP_MATCH);
  const program: Program = {
    ops: Uint8Array.from(e.ops),
    a: Int32Array.from(e.a),
    b: Int32Array.from(e.b),
    classes: e.classes,
    asserts: e.asserts,
    flags,
  };
  return new ProgramRegex(program);
}
