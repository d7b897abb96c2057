/**
 * The abstract syntax tree of a STIX 2.1 pattern (STIX 2.1 §9). Values are plain readonly data so
 * that ASTs compare with deep equality, serialize to JSON (except binary bytes) and print back.
 */

/** A timestamp literal `t'…'`: the RFC 3339 text and its instant in microseconds since 1970. */
export interface TimestampValue {
  readonly text: string;
  readonly epochMicros: number;
}

export type Literal =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'int'; readonly value: number; readonly raw: string }
  | { readonly kind: 'float'; readonly value: number; readonly raw: string }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'binary'; readonly value: Uint8Array; readonly form: 'b' | 'h' }
  | { readonly kind: 'timestamp'; readonly value: TimestampValue };

export type StringLiteral = Extract<Literal, { kind: 'string' }>;
export type OrderableLiteral = Exclude<Literal, { kind: 'bool' }>;

/** One step of an object path after the object type (§9.3.2). */
export type PathStep =
  | { readonly kind: 'key'; readonly key: string }
  | { readonly kind: 'index'; readonly index: number }
  | { readonly kind: 'any' };

export interface ObjectPath {
  readonly objectType: string;
  /** Never empty: the first step is the first path component, always a key. */
  readonly steps: readonly PathStep[];
}

export type EqualityOperator = '=' | '!=';
export type OrderOperator = '<' | '<=' | '>' | '>=';
export type StringOperator = 'LIKE' | 'MATCHES' | 'ISSUBSET' | 'ISSUPERSET';

export type PropTest =
  | {
      readonly kind: 'compare';
      readonly op: EqualityOperator;
      readonly negated: boolean;
      readonly path: ObjectPath;
      readonly value: Literal;
    }
  | {
      readonly kind: 'order';
      readonly op: OrderOperator;
      readonly negated: boolean;
      readonly path: ObjectPath;
      readonly value: OrderableLiteral;
    }
  | {
      readonly kind: 'in';
      readonly negated: boolean;
      readonly path: ObjectPath;
      readonly values: readonly Literal[];
    }
  | {
      readonly kind: 'string-op';
      readonly op: StringOperator;
      readonly negated: boolean;
      readonly path: ObjectPath;
      readonly value: string;
    }
  | { readonly kind: 'exists'; readonly path: ObjectPath };

/** Boolean combinations inside one observation expression; AND binds tighter than OR. */
export type ComparisonExpression =
  | PropTest
  | { readonly kind: 'and' | 'or'; readonly operands: readonly ComparisonExpression[] };

export type Qualifier =
  | { readonly kind: 'within'; readonly seconds: number; readonly raw: string }
  | { readonly kind: 'repeats'; readonly times: number }
  | { readonly kind: 'start-stop'; readonly start: TimestampValue; readonly stop: TimestampValue };

/**
 * Observation expressions (§9.5). `AND`/`OR` are associative and kept n-ary; `FOLLOWEDBY` is not
 * associative in its temporal meaning, so it stays binary and left-associative like the grammar.
 */
export type ObservationExpression =
  | { readonly kind: 'observation'; readonly comparison: ComparisonExpression }
  | { readonly kind: 'obs-and' | 'obs-or'; readonly operands: readonly ObservationExpression[] }
  | {
      readonly kind: 'followedby';
      readonly left: ObservationExpression;
      readonly right: ObservationExpression;
    }
  | {
      readonly kind: 'qualified';
      readonly expression: ObservationExpression;
      readonly qualifier: Qualifier;
    };

export interface Pattern {
  readonly kind: 'pattern';
  readonly expression: ObservationExpression;
}
