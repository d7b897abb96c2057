import { childPath } from '../issues.ts';
import { checkObservableValue, isValueType } from '../values/index.ts';
import type { ValidationContext } from './context.ts';

type Obj = Readonly<Record<string, unknown>>;

/**
 * Value checks of cyber-observables (STIX 2.1 §6; `src/stix/values/`): an `ipv4-addr` holds an
 * address or block, a `domain-name` a name, … An invalid value is an error (`INVALID_VALUE`) at
 * its path: it would reach every member's SIEM and blocklists as an entry a device misreads.
 */
export function checkObservableValues(o: Obj, type: string, path: string, ctx: ValidationContext): void {
  if (isValueType(type) && typeof o.value === 'string') {
    const check = checkObservableValue(type, o.value);
    if (!check.ok) ctx.sink.error(childPath(path, 'value'), 'INVALID_VALUE', check.problem);
  }
  if (type === 'artifact' && typeof o.url === 'string') {
    const check = checkObservableValue('url', o.url);
    if (!check.ok) ctx.sink.error(childPath(path, 'url'), 'INVALID_VALUE', check.problem);
  }
}
