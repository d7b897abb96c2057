import type {
  ComparisonExpression,
  Literal,
  ObjectPath,
  ObservationExpression,
  OrderOperator,
  PathStep,
  Pattern,
  PropTest,
  Qualifier,
  StringOperator,
} from './ast.ts';

import { invalidHashLiteral } from './hashes.ts';
import { tokenize } from './lexer.ts';
import { literalFromToken, unquote } from './literals.ts';
import { checkRegex } from './regex/compile.ts';
import { describe, TokenCursor } from './token-cursor.ts';
import type { Token } from './tokens.ts';

/** Nesting deeper than this is refused, so hostile input cannot exhaust the stack. */
export const MAX_NESTING = 100;

/** More observation expressions than this are refused: evaluation joins nest once per expression. */
export const MAX_OBSERVATIONS = 1000;

const ORDER_OPS: ReadonlySet<string> = new Set(['<', '<=', '>', '>=']);
const STRING_OPS: ReadonlySet<string> = new Set(['LIKE', 'MATCHES', 'ISSUBSET', 'ISSUPERSET']);
const IDENT_NO_HYPHEN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Recursive-descent parser over the STIX 2.1 grammar; precedence as in §9.5 and STIXPattern.g4. */
class Parser extends TokenCursor {
  #depth = 0;
  #observations = 0;

  constructor(text: string) {
    super(text, tokenize(text));
  }

  parse(): Pattern {
    const expression = this.#observationExpressions();
    this.expectEnd();
    return { kind: 'pattern', expression };
  }

  #enter(): void {
    this.#depth++;
    if (this.#depth > MAX_NESTING) this.fail('PATTERN_TOO_COMPLEX', 'pattern nests too deeply', this.peek());
  }

  #observationExpressions(): ObservationExpression {
    let left = this.#observationOr();
    while (this.is('keyword', 'FOLLOWEDBY')) {
      this.next();
      left = { kind: 'followedby', left, right: this.#observationOr() };
    }
    return left;
  }

  #observationOr(): ObservationExpression {
    return this.#naryObservation('OR', 'obs-or', () => this.#observationAnd());
  }

  #observationAnd(): ObservationExpression {
    return this.#naryObservation('AND', 'obs-and', () => this.#qualifiedObservation());
  }

  #naryObservation(
    keyword: string,
    kind: 'obs-and' | 'obs-or',
    operand: () => ObservationExpression,
  ): ObservationExpression {
    const first = operand();
    if (!this.is('keyword', keyword)) return first;
    const operands: ObservationExpression[] = [];
    let next = first;
    for (;;) {
      // AND/OR are associative: nested operands of the same kind are flattened.
      if (next.kind === kind) operands.push(...next.operands);
      else operands.push(next);
      if (!this.is('keyword', keyword)) return { kind, operands };
      this.next();
      next = operand();
    }
  }

  #qualifiedObservation(): ObservationExpression {
    const grouped = this.is('punct', '(');
    let expression = this.#observationAtom();
    // Like the OASIS validator: a qualifier type may appear once in the chain that follows a
    // bracketed observation; after a parenthesized group, chains are not checked.
    const seen = new Set<Qualifier['kind']>();
    for (;;) {
      const token = this.peek();
      const qualifier = this.#qualifier();
      if (qualifier === undefined) return expression;
      if (!grouped && seen.has(qualifier.kind)) {
        this.fail('PATTERN_INVALID_QUALIFIER', `duplicate ${token.text} qualifier`, token);
      }
      seen.add(qualifier.kind);
      expression = { kind: 'qualified', expression, qualifier };
    }
  }

  #observationAtom(): ObservationExpression {
    if (this.is('punct', '[')) {
      if (++this.#observations > MAX_OBSERVATIONS) {
        this.fail(
          'PATTERN_TOO_COMPLEX',
          `more than ${MAX_OBSERVATIONS} observation expressions`,
          this.peek(),
        );
      }
      this.next();
      const comparison = this.#comparisonOr();
      this.expect('punct', ']');
      return { kind: 'observation', comparison };
    }
    if (this.is('punct', '(')) {
      this.next();
      this.#enter();
      const inner = this.#observationExpressions();
      this.#depth--;
      this.expect('punct', ')');
      return inner;
    }
    return this.unexpected("'[' or '('");
  }

  #qualifier(): Qualifier | undefined {
    const token = this.peek();
    if (token.kind !== 'keyword') return undefined;
    if (token.text === 'WITHIN') {
      this.next();
      const amount = this.next();
      const literal = literalFromToken(amount);
      if (
        literal === undefined ||
        (literal.kind !== 'int' && literal.kind !== 'float') ||
        literal.raw.startsWith('-')
      ) {
        return this.fail('PATTERN_UNEXPECTED_TOKEN', 'WITHIN needs a positive number of seconds', amount);
      }
      if (!(literal.value > 0)) this.fail('PATTERN_INVALID_QUALIFIER', 'WITHIN must be positive', amount);
      this.expect('keyword', 'SECONDS');
      return { kind: 'within', seconds: literal.value, raw: literal.raw };
    }
    if (token.text === 'REPEATS') {
      this.next();
      const count = this.next();
      const literal = literalFromToken(count);
      if (literal === undefined || literal.kind !== 'int' || literal.raw.startsWith('-')) {
        return this.fail('PATTERN_UNEXPECTED_TOKEN', 'REPEATS needs a positive integer', count);
      }
      if (!(literal.value > 0) || !Number.isSafeInteger(literal.value)) {
        this.fail('PATTERN_INVALID_QUALIFIER', 'REPEATS must be a positive integer', count);
      }
      this.expect('keyword', 'TIMES');
      return { kind: 'repeats', times: literal.value };
    }
    if (token.text === 'START') {
      this.next();
      const start = this.#timestamp();
      this.expect('keyword', 'STOP');
      const stop = this.#timestamp();
      return { kind: 'start-stop', start, stop };
    }
    return undefined;
  }

  #timestamp(): Extract<Literal, { kind: 'timestamp' }>['value'] {
    const token = this.next();
    const literal = literalFromToken(token);
    if (literal?.kind !== 'timestamp') {
      return this.fail(
        'PATTERN_UNEXPECTED_TOKEN',
        `expected a timestamp literal t'…' but found ${describe(token)}`,
        token,
      );
    }
    return literal.value;
  }

  #comparisonOr(): ComparisonExpression {
    return this.#naryComparison('OR', 'or', () => this.#comparisonAnd());
  }

  #comparisonAnd(): ComparisonExpression {
    return this.#naryComparison('AND', 'and', () => this.#propTest());
  }

  #naryComparison(
    keyword: string,
    kind: 'and' | 'or',
    operand: () => ComparisonExpression,
  ): ComparisonExpression {
    const first = operand();
    if (!this.is('keyword', keyword)) return first;
    const operands: ComparisonExpression[] = [];
    let next = first;
    for (;;) {
      if (next.kind === kind) operands.push(...next.operands);
      else operands.push(next);
      if (!this.is('keyword', keyword)) return { kind, operands };
      this.next();
      next = operand();
    }
  }

  #propTest(): ComparisonExpression {
    if (this.is('punct', '(')) {
      this.next();
      this.#enter();
      const inner = this.#comparisonOr();
      this.#depth--;
      this.expect('punct', ')');
      return inner;
    }
    if (this.is('keyword', 'EXISTS')) {
      this.next();
      return { kind: 'exists', path: this.#objectPath() };
    }
    const path = this.#objectPath();
    let negated = false;
    if (this.is('keyword', 'NOT')) {
      this.next();
      negated = true;
    }
    const start = this.peek();
    const test = this.#operatorTest(path, negated);
    const algorithm = invalidHashLiteral(test);
    if (algorithm !== undefined) this.fail('PATTERN_INVALID_LITERAL', `not a valid ${algorithm} hash`, start);
    return test;
  }

  #operatorTest(path: ObjectPath, negated: boolean): PropTest {
    const opToken = this.next();
    const op = opToken.text;
    if (opToken.kind === 'op' && (op === '=' || op === '==' || op === '!=' || op === '<>')) {
      const value = this.#literal('a literal');
      return { kind: 'compare', op: op === '=' || op === '==' ? '=' : '!=', negated, path, value };
    }
    if (opToken.kind === 'op' && ORDER_OPS.has(op)) {
      const token = this.peek();
      const value = this.#literal('an orderable literal');
      if (value.kind === 'bool') this.fail('PATTERN_UNEXPECTED_TOKEN', 'booleans cannot be ordered', token);
      return { kind: 'order', op: op as OrderOperator, negated, path, value };
    }
    if (opToken.kind === 'keyword' && op === 'IN') return { kind: 'in', negated, path, values: this.#set() };
    if (opToken.kind === 'keyword' && STRING_OPS.has(op)) {
      const token = this.next();
      if (token.kind !== 'string') {
        return this.fail(
          'PATTERN_UNEXPECTED_TOKEN',
          `${op} needs a string literal, found ${describe(token)}`,
          token,
        );
      }
      const value = unquote(token.text);
      if (op === 'MATCHES') this.#checkRegex(value, token);
      return { kind: 'string-op', op: op as StringOperator, negated, path, value };
    }
    return this.fail(
      opToken.kind === 'eof' ? 'PATTERN_UNEXPECTED_END' : 'PATTERN_UNEXPECTED_TOKEN',
      `expected a comparison operator but found ${describe(opToken)}`,
      opToken,
    );
  }

  #checkRegex(source: string, token: Token): void {
    try {
      checkRegex(source);
    } catch (error) {
      const detail = error instanceof Error ? error.message : 'invalid';
      this.fail('PATTERN_INVALID_REGEX', `MATCHES regular expression rejected: ${detail}`, token);
    }
  }

  #literal(expected: string): Literal {
    const token = this.next();
    const literal = literalFromToken(token);
    if (literal === undefined) return this.unexpectedAt(token, expected);
    return literal;
  }

  #set(): Literal[] {
    this.expect('punct', '(');
    const values: Literal[] = [];
    if (this.is('punct', ')')) {
      this.next();
      return values;
    }
    let family: string | undefined;
    for (;;) {
      const token = this.peek();
      const value = this.#literal('a literal');
      // Set members share one type (integers and floats are both numbers), as the reference matcher requires.
      const kind = value.kind === 'int' ? 'float' : value.kind;
      if (family !== undefined && kind !== family) {
        this.fail('PATTERN_INVALID_LITERAL', 'set members must all have the same type', token);
      }
      family = kind;
      values.push(value);
      if (this.is('punct', ',')) {
        this.next();
        continue;
      }
      this.expect('punct', ')');
      return values;
    }
  }

  #objectPath(): ObjectPath {
    const typeToken = this.next();
    if (typeToken.kind !== 'identifier') return this.unexpectedAt(typeToken, 'an object type');
    this.expect('punct', ':');
    const steps: PathStep[] = [{ kind: 'key', key: this.#key('a property name') }];
    for (;;) {
      if (this.is('punct', '.')) {
        this.next();
        steps.push({ kind: 'key', key: this.#key('a property name') });
      } else if (this.is('punct', '[')) {
        this.next();
        steps.push(this.#indexStep());
        this.expect('punct', ']');
      } else {
        return { objectType: typeToken.text, steps };
      }
    }
  }

  #key(expected: string): string {
    const token = this.next();
    if (token.kind === 'string') return unquote(token.text);
    if (token.kind === 'identifier' && IDENT_NO_HYPHEN.test(token.text)) return token.text;
    return this.unexpectedAt(token, expected);
  }

  #indexStep(): PathStep {
    const token = this.next();
    if (token.kind === 'punct' && token.text === '*') return { kind: 'any' };
    if (token.kind === 'int') {
      const index = Number(token.text);
      if (Number.isSafeInteger(index)) return { kind: 'index', index };
    }
    return this.unexpectedAt(token, "a list index or '*'");
  }
}

/**
 * Parses a STIX 2.1 pattern (§9) into its AST.
 *
 * @throws {PatternSyntaxError} with a code and the position of the first problem; never anything else.
 * @example
 * const ast = parsePattern("[file:hashes.'SHA-256' = 'aec0…'] REPEATS 2 TIMES");
 */
export function parsePattern(text: string): Pattern {
  return new Parser(text).parse();
}
