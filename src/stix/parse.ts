import { StixValidationError } from './errors.ts';
import type { StixObject } from './model/index.ts';
import { validateObject } from './validate/object.ts';

/**
 * Narrows attacker-controlled JSON to a STIX object at the edge (STYLE.md practice 6): returns it
 * typed when validation finds no error, and throws StixValidationError with every issue otherwise.
 * Custom object types pass (with warnings) and are typed by their common properties only.
 *
 * @example
 * const indicator = parseStixObject(JSON.parse(body));
 * if (indicator.type === 'indicator') use(indicator.pattern);
 */
export function parseStixObject(value: unknown): StixObject {
  const result = validateObject(value);
  if (result.errors > 0) throw new StixValidationError(result.issues);
  return value as StixObject;
}
