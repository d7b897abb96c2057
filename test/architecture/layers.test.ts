import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

// DESIGN.md "Architecture": core ← pure layers ← db ← features ← server, cli.
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SRC = join(ROOT, 'src');
const PURE = ['stix', 'patterns', 'tlog', 'privacy', 'policy'];
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  core: ['core'],
  ...Object.fromEntries(PURE.map((p) => [p, ['core', ...PURE]])),
  db: ['core', 'db', ...PURE],
  features: ['core', 'db', 'features', ...PURE],
  server: ['core', 'db', 'features', 'server', ...PURE],
  cli: ['core', 'db', 'features', 'server', 'cli', ...PURE],
};
/** Node built-ins and packages a pure layer may use: computation only, no I/O. */
const PURE_PACKAGES = new Set(['node:crypto', 'node:path', 'iso-3166']);

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sources(path, out);
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1] ?? '');
}

const layerOf = (file: string) => relative(SRC, file).split('/')[0] ?? '';

describe('layer rule', () => {
  const files = sources(SRC);

  it('finds the layers it checks', () => {
    assert.ok(files.length > 20);
  });

  it('lets each layer import only the layers beneath it', () => {
    const violations: string[] = [];
    for (const file of files) {
      const layer = layerOf(file);
      const allowed = ALLOWED[layer];
      if (allowed === undefined) {
        violations.push(`${relative(ROOT, file)}: unknown layer "${layer}"`);
        continue;
      }
      for (const spec of importsOf(file)) {
        if (spec.startsWith('.')) {
          const target = layerOf(resolve(dirname(file), spec));
          if (!allowed.includes(target))
            violations.push(`${relative(ROOT, file)} imports ${spec} (${layer} → ${target})`);
        } else if ((layer === 'core' || PURE.includes(layer)) && !PURE_PACKAGES.has(spec)) {
          violations.push(`${relative(ROOT, file)}: pure layer imports package ${spec}`);
        }
      }
    }
    assert.deepEqual(violations, []);
  });

  it("never lets a feature import another feature's store", () => {
    const violations: string[] = [];
    for (const file of files.filter((f) => layerOf(f) === 'features')) {
      const own = relative(join(SRC, 'features'), file).split('/')[0];
      for (const spec of importsOf(file).filter((s) => s.startsWith('.'))) {
        const target = resolve(dirname(file), spec);
        const rel = relative(join(SRC, 'features'), target).split('/');
        if (rel.length > 1 && rel[0] !== own && /store/.test(rel.at(-1) ?? '')) {
          violations.push(`${relative(ROOT, file)} imports ${spec}`);
        }
      }
    }
    assert.deepEqual(violations, []);
  });
});
