import type { IssueSink } from '../issues.ts';

export interface ValidationContext {
  readonly sink: IssueSink;
}
