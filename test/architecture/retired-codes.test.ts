// Error codes are an API contract and are never reused (src/core/errors.ts). A retired code must
// not come back: no source may produce it, neither registry may hold it, and docs/errors.md says
// it is retired. ID_CONFLICT went in issue 9 §2 (it told members an id existed that they could not
// see); issue 10 §7 asked that nothing still produce or document it misleadingly.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ERROR_REGISTRY, SHARE_FAILURE_CODES } from '../../src/core/errors.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const RETIRED = ['ID_CONFLICT'] as const;

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sources(path, out);
    else if (/\.(ts|tsx)$/.test(name)) out.push(path);
  }
  return out;
}

describe('retired error codes', () => {
  for (const code of RETIRED) {
    it(`${code} is in no registry and produced by no source`, () => {
      assert.ok(!Object.hasOwn(ERROR_REGISTRY, code));
      assert.ok(!(SHARE_FAILURE_CODES as readonly string[]).includes(code));
      const using = [...sources(join(ROOT, 'src')), ...sources(join(ROOT, 'web/src'))].filter((f) =>
        readFileSync(f, 'utf8').includes(code),
      );
      assert.deepEqual(using, []);
    });

    it(`${code} is documented as retired, not as a live code`, () => {
      const doc = readFileSync(join(ROOT, 'docs/errors.md'), 'utf8');
      assert.doesNotMatch(doc, new RegExp(`^\\| \`${code}\` \\|`, 'm'), 'no row of a live code');
      assert.match(doc, new RegExp(`\`${code}\`[^\\n]*\\bretired\\b`));
    });
  }
});
