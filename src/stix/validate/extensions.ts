import { childPath } from '../issues.ts';
import { EXTENSION_SPECS } from '../schema/extensions.ts';
import type { ValidationContext } from './context.ts';
import { checkProperty } from './property.ts';

type Obj = Readonly<Record<string, unknown>>;

/** Checks the contents of the predefined SCO extensions an object carries (STIX 2.1 §6). */
export function checkPredefinedExtensions(o: Obj, type: string, path: string, ctx: ValidationContext): void {
  const extensions = o.extensions;
  if (typeof extensions !== 'object' || extensions === null || Array.isArray(extensions)) return;
  for (const [name, extension] of Object.entries(extensions as Obj)) {
    const spec = EXTENSION_SPECS[name];
    if (spec === undefined || typeof extension !== 'object' || extension === null || Array.isArray(extension))
      continue;
    const p = childPath(childPath(path, 'extensions'), name);
    if (spec.on !== type) {
      ctx.sink.warn(p, 'INVALID_EXTENSION', `${name} is defined for ${spec.on} objects`);
      continue;
    }
    const ext = extension as Obj;
    for (const key of spec.required) {
      if (ext[key] === undefined) ctx.sink.error(childPath(p, key), 'MISSING_PROPERTY', `${key} is required`);
    }
    for (const [key, value] of Object.entries(ext)) {
      const propertySpec = spec.properties[key];
      if (propertySpec !== undefined && value !== null)
        checkProperty(value, propertySpec, childPath(p, key), ctx);
      else if (value === null)
        ctx.sink.error(childPath(p, key), 'WRONG_VALUE_TYPE', 'properties must not be null');
    }
  }
}
