import type { FastifyInstance } from 'fastify';
import { TabellaError } from '../core/errors.ts';

/** Finds the JSON path of the first string holding a NUL character, if any. */
function nulPath(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path || 'body' : undefined;
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const found = nulPath(v, `${path}[${i}]`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k.includes('\u0000')) return path ? `${path}.${k}` : k;
      const found = nulPath(v, path ? `${path}.${k}` : k);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/**
 * NUL characters have no meaning in any Tabella text, PostgreSQL refuses them in text columns, and
 * they truncate strings in C tools downstream: refuse them at the edge, in URLs and in bodies
 * (all attacker-controlled), before any handler sees them.
 */
export function installInputGuards(app: FastifyInstance): void {
  // Text bodies would otherwise reach JSON routes as strings; only JSON is spoken here.
  app.removeContentTypeParser('text/plain');
  app.addHook('onRequest', async (req) => {
    if (req.url.includes('\u0000') || /%00/.test(req.url))
      throw new TabellaError('BAD_REQUEST', 'the URL contains a NUL character');
  });
  app.addHook('preValidation', async (req) => {
    const field = nulPath(req.body, '');
    if (field !== undefined) {
      throw new TabellaError('VALIDATION_FAILED', `${field}: must not contain NUL characters`, {
        fields: [field],
      });
    }
  });
}
