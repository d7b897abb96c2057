import type { FastifyInstance } from 'fastify';
import { TabellaError } from '../core/errors.ts';
import { MAX_JSON_DEPTH } from '../core/json-limits.ts';

/** One value met by the walk, linked to its parent so a path is built only when one is reported. */
interface Frame {
  readonly value: unknown;
  readonly depth: number;
  readonly parent: Frame | undefined;
  /** The key in the parent object, or the index in the parent array. */
  readonly key: string | number | undefined;
}

type Finding = { readonly kind: 'nul' | 'depth'; readonly path: string };

/** The JSON path of a frame (`a.b[2].c`), or `body` for the body itself. */
function pathOf(frame: Frame, lastKey?: string): string {
  const parts: (string | number)[] = lastKey === undefined ? [] : [lastKey];
  for (let f: Frame | undefined = frame; f?.key !== undefined; f = f.parent) parts.push(f.key);
  let path = '';
  for (const k of parts.reverse()) path = typeof k === 'number' ? `${path}[${k}]` : path ? `${path}.${k}` : k;
  return path || 'body';
}

/**
 * Finds the first string or key holding a NUL character, or the first array or object nested
 * deeper than {@link MAX_JSON_DEPTH}, in document order. The body is attacker-controlled and may
 * nest as deep as JSON.parse allows (20,000 levels fit in 40 KB), so the walk keeps its own stack
 * and never recurses.
 */
function firstBadValue(body: unknown): Finding | undefined {
  const stack: Frame[] = [{ value: body, depth: 1, parent: undefined, key: undefined }];
  for (let frame = stack.pop(); frame !== undefined; frame = stack.pop()) {
    const { value, depth } = frame;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return { kind: 'nul', path: pathOf(frame) };
      continue;
    }
    // Raw bytes (TAXII envelopes) are parsed and checked by their route, in slices (json-text.ts).
    if (value === null || typeof value !== 'object' || value instanceof Uint8Array) continue;
    if (depth > MAX_JSON_DEPTH) return { kind: 'depth', path: pathOf(frame) };
    // Children are pushed last-first, so they are visited first-first (document order).
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--)
        stack.push({ value: value[i], depth: depth + 1, parent: frame, key: i });
      continue;
    }
    const keys = Object.keys(value);
    for (const k of keys) if (k.includes('\u0000')) return { kind: 'nul', path: pathOf(frame, k) };
    for (let i = keys.length - 1; i >= 0; i--) {
      const k = keys[i] as string;
      stack.push({ value: (value as Record<string, unknown>)[k], depth: depth + 1, parent: frame, key: k });
    }
  }
  return undefined;
}

/**
 * NUL characters have no meaning in any Tabella text, PostgreSQL refuses them in text columns, and
 * they truncate strings in C tools downstream: refuse them at the edge, in URLs and in bodies
 * (all attacker-controlled), before any handler sees them. Bodies nested deeper than
 * {@link MAX_JSON_DEPTH} are refused here too, whatever their content type (JSON, TAXII, STIX):
 * this is the first preValidation hook, so it runs before schema validation and every handler.
 */
export function installInputGuards(app: FastifyInstance): void {
  // Text bodies would otherwise reach JSON routes as strings; only JSON is spoken here.
  app.removeContentTypeParser('text/plain');
  app.addHook('onRequest', async (req) => {
    if (req.url.includes('\u0000') || /%00/.test(req.url))
      throw new TabellaError('BAD_REQUEST', 'the URL contains a NUL character');
  });
  app.addHook('preValidation', async (req) => {
    const found = firstBadValue(req.body);
    if (found === undefined) return;
    if (found.kind === 'depth') {
      throw new TabellaError(
        'NESTING_TOO_DEEP',
        `${found.path}: nests deeper than ${MAX_JSON_DEPTH} levels of arrays and objects`,
        { fields: [found.path] },
      );
    }
    throw new TabellaError('VALIDATION_FAILED', `${found.path}: must not contain NUL characters`, {
      fields: [found.path],
    });
  });
}
