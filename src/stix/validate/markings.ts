import { childPath } from '../issues.ts';
import type { ValidationContext } from './context.ts';

type Obj = Readonly<Record<string, unknown>>;

// RFC 5646 language tags, in the common shape: a 2–3 letter (or 4–8 letter) primary subtag and
// alphanumeric subtags of up to 8 characters (e.g. en, en-US, zh-Hant-TW, es-419).
const LANGUAGE_TAG_RE = /^(?:[a-zA-Z]{2,3}|[a-zA-Z]{4,8})(?:-[a-zA-Z0-9]{1,8})*$/;

export function checkLanguageTag(value: unknown, path: string, ctx: ValidationContext): void {
  if (typeof value === 'string' && !LANGUAGE_TAG_RE.test(value)) {
    ctx.sink.error(path, 'INVALID_LANGUAGE_TAG', 'not an RFC 5646 language tag');
  }
}

/** Follows a granular-marking selector (§7.2.3.1: `a.b`, `list.[n]`) through an object. */
function resolves(o: Obj, selector: string): boolean {
  if (selector === '') return false;
  let current: unknown = o;
  for (const token of selector.replace(/([^.])\[/g, '$1.[').split('.')) {
    const index = /^\[(\d+)\]$/.exec(token);
    if (index !== null) {
      const n = Number(index[1]);
      if (!Array.isArray(current) || n >= current.length) return false;
      current = current[n];
    } else {
      if (
        typeof current !== 'object' ||
        current === null ||
        Array.isArray(current) ||
        !Object.hasOwn(current, token)
      ) {
        return false;
      }
      current = (current as Obj)[token];
    }
  }
  return true;
}

/**
 * STIX 2.1 §7.2.3: every selector of a granular marking must select a property or list item
 * present in the object itself; a `lang` marking carries a language tag.
 */
export function checkGranularSelectors(o: Obj, path: string, ctx: ValidationContext): void {
  const markings = o.granular_markings;
  if (!Array.isArray(markings)) return;
  markings.forEach((marking: unknown, i) => {
    if (typeof marking !== 'object' || marking === null) return;
    const { selectors, lang } = marking as Obj;
    const p = childPath(childPath(path, 'granular_markings'), i);
    if (lang !== undefined) checkLanguageTag(lang, childPath(p, 'lang'), ctx);
    if (!Array.isArray(selectors)) return;
    selectors.forEach((selector: unknown, j) => {
      if (typeof selector === 'string' && !resolves(o, selector)) {
        ctx.sink.error(
          childPath(childPath(p, 'selectors'), j),
          'INVALID_MARKING',
          'the selector does not select anything in this object',
        );
      }
    });
  });
}
