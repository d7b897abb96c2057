import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { TYPE_SPECS } from '../schema/index.ts';
import { validateObject } from './object.ts';

const types = [...TYPE_SPECS.keys(), 'x-custom', 'Bad Type', ''];

// Attacker-controlled JSON: any shape must produce issues, never an exception.
const stixish = fc.record(
  {
    type: fc.constantFrom(...types),
    id: fc.oneof(
      fc.constant('indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f'),
      fc.string(),
      fc.jsonValue({ maxDepth: 1 }),
    ),
    spec_version: fc.constantFrom('2.1', '2.0', 5),
    created: fc.constantFrom('2016-04-06T20:03:48.000Z', '2016-04-06T20:03:48Z', 'x', 0),
    modified: fc.constantFrom('2016-04-06T20:03:48.000Z', '2015-01-01T00:00:00.000Z', null),
    extensions: fc.jsonValue({ maxDepth: 3 }),
    external_references: fc.jsonValue({ maxDepth: 3 }),
    granular_markings: fc.jsonValue({ maxDepth: 3 }),
    hashes: fc.jsonValue({ maxDepth: 2 }),
    object_refs: fc.jsonValue({ maxDepth: 2 }),
    definition: fc.jsonValue({ maxDepth: 2 }),
    definition_type: fc.constantFrom('tlp', 'statement', 1),
    value: fc.oneof(fc.jsonValue({ maxDepth: 1 }), fc.string(), fc.string({ unit: 'grapheme' })),
    // Patterns are parsed and their values checked while validating: no input may make that throw.
    pattern: fc.oneof(
      fc.string(),
      fc.constantFrom("[ipv4-addr:value = '", "[domain-name:value IN ('a', 'b.c')]", '[x:y = 1] AND'),
      fc.string({ unit: 'grapheme' }).map((v) => `[domain-name:value = '${v.replace(/['\\]/g, '')}']`),
    ),
    pattern_type: fc.constantFrom('stix', 'sigma', 7),
  },
  { requiredKeys: ['type'] },
);

describe('validateObject properties', () => {
  it('never throws on arbitrary JSON, and every issue has a path, code and severity', () => {
    fc.assert(
      fc.property(fc.oneof(stixish, fc.jsonValue({ maxDepth: 4 })), (value) => {
        const result = validateObject(value);
        assert.equal(result.errors + result.warnings, result.issues.length);
        for (const issue of result.issues) {
          assert.ok(issue.path.startsWith('$'));
          assert.ok(issue.severity === 'error' || issue.severity === 'warning');
        }
      }),
      { numRuns: 2000 },
    );
  });
});
