// Helpers for the STIX validator's unit tests: a valid indicator to vary, and a validation's
// issues of one severity as [path, code] pairs.
import type { IssueCode } from '../../src/stix/issues.ts';
import { validateObject } from '../../src/stix/validate/object.ts';

/** A valid STIX 2.1 indicator with a `stix` pattern. */
export const INDICATOR = {
  type: 'indicator',
  spec_version: '2.1',
  id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
  created: '2016-04-06T20:03:48.000Z',
  modified: '2016-04-06T20:03:48.000Z',
  pattern: "[ipv4-addr:value = '10.0.0.1']",
  pattern_type: 'stix',
  valid_from: '2016-01-01T00:00:00Z',
} as const;

/** The issues of `o` of one severity, as [path, code] pairs. */
export function issuesOf(o: unknown, severity: 'error' | 'warning'): (readonly [string, IssueCode])[] {
  return validateObject(o)
    .issues.filter((i) => i.severity === severity)
    .map((i) => [i.path, i.code] as const);
}
