import type { PathStep } from '../ast.ts';
import { isObject, type JsonObject } from './json.ts';
import type { Scope } from './observed.ts';

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

/** Replaces a reference, or each reference of a list, by the object it names; unresolved ones drop out. */
function dereference(key: string, value: unknown, scope: Scope): unknown {
  if (key.endsWith('_ref')) return typeof value === 'string' ? scope.get(value) : undefined;
  if (key.endsWith('_refs')) {
    if (!Array.isArray(value)) return undefined;
    const out: JsonObject[] = [];
    for (const ref of value) {
      const target = typeof ref === 'string' ? scope.get(ref) : undefined;
      if (target !== undefined) out.push(target);
    }
    return out;
  }
  return value;
}

/**
 * Follows an object path from a root SCO and returns every value it reaches. `[*]` fans out over
 * list elements; `[n]` takes one element (negative or out-of-range indices reach nothing, as in
 * the reference matcher). Stepping into an `*_ref` property yields the referenced object, and into
 * an `*_refs` property the list of referenced objects (the reference matcher dereferences at the
 * step itself, so `network-traffic:dst_ref` is an object, never the identifier string).
 * Missing properties and unresolved references simply reach nothing: evaluation never throws.
 */
export function resolvePath(root: JsonObject, steps: readonly PathStep[], scope: Scope): unknown[] {
  let current: unknown[] = [root];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const value of current) {
      switch (step.kind) {
        case 'key': {
          if (!isObject(value) || !Object.hasOwn(value, step.key)) break;
          const reached = dereference(step.key, decodeSuffixed(step.key, value[step.key]), scope);
          if (reached !== undefined) next.push(reached);
          break;
        }
        case 'index':
          if (Array.isArray(value) && step.index >= 0 && step.index < value.length)
            next.push(value[step.index]);
          break;
        case 'any':
          if (Array.isArray(value)) for (const v of value) next.push(v);
          break;
      }
    }
    current = next;
    if (current.length === 0) return current;
  }
  return current;
}
