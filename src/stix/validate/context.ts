import type { IssueSink } from '../issues.ts';

/** Checks an indicator pattern of the given pattern_type; returns a problem message or undefined. */
export type PatternChecker = (pattern: string, patternType: string) => string | undefined;

export interface ValidateOptions {
  /**
   * Checks `indicator.pattern`. The STIX layer is independent of the patterning layer, so callers
   * pass one in (the CLI passes the STIX pattern parser); without it patterns are not parsed.
   */
  readonly checkPattern?: PatternChecker;
}

export interface ValidationContext {
  readonly sink: IssueSink;
  readonly options: ValidateOptions;
}
