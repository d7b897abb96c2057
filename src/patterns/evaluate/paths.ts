import type { PathStep } from '../ast.ts';
import { isObject, type JsonObject } from './json.ts';

/** A value reached by an object path, and whether it is an SCO reference that can be followed. */
interface Reached {
  readonly value: unknown;
  readonly ref: boolean;
}

// STIX 2.1 §9.3.2 (reference matcher semantics): `_hex` and `_bin` properties hold binary values.
function decodeSuffixed(key: string, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  if (key.endsWith('_hex')) {
    return /^(?:[0-9a-fA-F]{2})*$/.test(value) ? Uint8Array.from(Buffer.from(value, 'hex')) : undefined;
  }
  if (key.endsWith('_bin')) {
    return /^[A-Za-z0-9+/]*={0,2}$/.test(value) && value.length % 4 === 0
      ? Uint8Array.from(Buffer.from(value, 'base64'))
      : undefined;
  }
  return value;
}

/**
 * Follows an object path from a root SCO and returns every value it reaches. `[*]` fans out over
 * list elements; `[n]` takes one element (negative or out-of-range indices reach nothing, as in
 * the reference matcher); a key step on an `*_ref` / `*_refs` value first resolves the reference.
 * Missing properties simply reach nothing: evaluation never throws on arbitrary data.
 */
export function resolvePath(
  root: JsonObject,
  steps: readonly PathStep[],
  scope: ReadonlyMap<string, JsonObject>,
): unknown[] {
  let current: Reached[] = [{ value: root, ref: false }];
  let refList = false;
  for (const step of steps) {
    const next: Reached[] = [];
    for (const { value, ref } of current) {
      switch (step.kind) {
        case 'key': {
          const target = ref && typeof value === 'string' ? scope.get(value) : value;
          if (!isObject(target) || !Object.hasOwn(target, step.key)) break;
          const decoded = decodeSuffixed(step.key, target[step.key]);
          if (decoded !== undefined) next.push({ value: decoded, ref: step.key.endsWith('_ref') });
          break;
        }
        case 'index':
          if (Array.isArray(value) && step.index >= 0 && step.index < value.length) {
            next.push({ value: value[step.index], ref: refList });
          }
          break;
        case 'any':
          if (Array.isArray(value)) for (const v of value) next.push({ value: v, ref: refList });
          break;
      }
    }
    refList = step.kind === 'key' && step.key.endsWith('_refs');
    current = next;
    if (current.length === 0) return [];
  }
  return current.map((r) => r.value);
}
