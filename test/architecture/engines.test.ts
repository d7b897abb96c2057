// The README promises Node 20.19+ (package.json `engines`): every package the server runs with must
// say it supports that. Two did not (content-disposition 3.1 and cookie 2.0 ask for Node ≥ 22) and
// are pinned by `overrides` in package.json to the newest versions that do (issue 10 §7).
// No database is involved, so this runs once rather than per engine.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import semver from 'semver';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

interface Manifest {
  readonly version?: string;
  readonly engines?: { readonly node?: string };
}
interface LockEntry extends Manifest {
  readonly dev?: boolean;
  readonly optional?: boolean;
}

const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;
const root = readJson<Manifest>(join(ROOT, 'package.json'));
const lock = readJson<{ packages: Record<string, LockEntry> }>(join(ROOT, 'package-lock.json'));

/** The oldest Node the project supports, from its own `engines` (">=20.19" → 20.19.0). */
const floor = semver.minVersion(root.engines?.node ?? '')?.version;

/**
 * Every production package of the lockfile with the `engines.node` it declares: the installed
 * package.json where it is installed (the code that actually runs), else the lockfile's record
 * (optional packages for other platforms are not installed).
 */
function productionEngines(): { readonly name: string; readonly version: string; readonly node?: string }[] {
  return Object.entries(lock.packages)
    .filter(([path, entry]) => path !== '' && entry.dev !== true)
    .map(([path, entry]) => {
      const file = join(ROOT, path, 'package.json');
      const manifest = existsSync(file) ? readJson<Manifest>(file) : entry;
      const node = manifest.engines?.node;
      return {
        name: path.replace(/^.*node_modules\//, ''),
        version: manifest.version ?? entry.version ?? '?',
        ...(node === undefined ? {} : { node }),
      };
    });
}

describe('the Node version the README promises', () => {
  it('is the floor of package.json engines', () => {
    assert.equal(floor, '20.19.0');
  });

  it('is admitted by the engines.node of every production dependency', () => {
    const packages = productionEngines();
    assert.ok(packages.length > 50, `the lockfile lists production packages (${packages.length})`);
    const refusing = packages
      .filter((p) => p.node !== undefined && !semver.satisfies(floor ?? '', p.node, { loose: true }))
      .map((p) => `${p.name}@${p.version} wants node ${p.node}`);
    assert.deepEqual(refusing, [], `these refuse Node ${floor}`);
  });

  it('checks ranges as npm does (the check itself can fail)', () => {
    for (const [range, admits] of [
      ['>=18', true],
      ['>=22', false],
      ['^20.19.0 || >=22.12.0', true],
      ['^20.20.0 || >=22', false],
      ['>= 14.18.0 < 21', true],
    ] as const)
      assert.equal(semver.satisfies('20.19.0', range), admits, range);
  });
});
