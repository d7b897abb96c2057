import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IssueCode } from '../issues.ts';
import { validateObject } from './object.ts';

const base = {
  type: 'indicator',
  spec_version: '2.1',
  id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
  created: '2016-04-06T20:03:48.000Z',
  modified: '2016-04-06T20:03:48.000Z',
  pattern: "[ipv4-addr:value = '10.0.0.1']",
  pattern_type: 'stix',
  valid_from: '2016-01-01T00:00:00Z',
};

function codes(o: unknown): { errors: IssueCode[]; warnings: IssueCode[] } {
  const { issues } = validateObject(o);
  return {
    errors: issues.filter((i) => i.severity === 'error').map((i) => i.code),
    warnings: issues.filter((i) => i.severity === 'warning').map((i) => i.code),
  };
}

describe('validateObject', () => {
  it('accepts a valid indicator without issues', () => {
    assert.deepEqual(codes(base), { errors: [], warnings: [] });
  });

  it('resolves granular-marking selectors into the object (§7.2.3.1)', () => {
    const marked = {
      ...base,
      labels: ['a', 'b'],
      lang: 'en-US',
      granular_markings: [
        {
          selectors: ['pattern', 'labels.[1]', 'labels[0]'],
          marking_ref: 'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9',
        },
        { selectors: ['labels'], lang: 'fr' },
      ],
    };
    assert.deepEqual(codes(marked).errors, []);
    const bad = { ...marked, granular_markings: [{ selectors: ['labels.[2]'], lang: 'fr' }] };
    assert.deepEqual(codes(bad).errors, ['INVALID_MARKING']);
  });

  describe('when a common-property rule is broken (STIX 2.1 §3.2)', () => {
    const cases: readonly [string, Record<string, unknown>, IssueCode][] = [
      ['missing created', { created: undefined }, 'MISSING_PROPERTY'],
      ['bad id form', { id: 'indicator-8e2e2d2b' }, 'INVALID_IDENTIFIER'],
      [
        'id of another type',
        { id: 'malware--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f' },
        'IDENTIFIER_TYPE_MISMATCH',
      ],
      ['non-RFC 4122 UUID', { id: 'indicator--8e2e2d2b-17d4-4cbf-738f-98ee46b3cd3f' }, 'UUID_VERSION'],
      ['wrong spec_version', { spec_version: '2.0' }, 'INVALID_SPEC_VERSION'],
      ['bad timestamp', { valid_from: '2016-01-01 00:00:00' }, 'INVALID_TIMESTAMP'],
      ['second precision created', { created: '2016-04-06T20:03:48Z' }, 'TIMESTAMP_PRECISION'],
      ['modified before created', { modified: '2016-04-05T20:03:48.000Z' }, 'MODIFIED_BEFORE_CREATED'],
      ['confidence out of range', { confidence: 101 }, 'OUT_OF_RANGE'],
      ['empty labels', { labels: [] }, 'EMPTY_LIST'],
      [
        'wrong created_by_ref type',
        { created_by_ref: 'malware--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f' },
        'INVALID_REFERENCE_TYPE',
      ],
      ['bad custom name', { 'X-Bad': 1 }, 'INVALID_PROPERTY_NAME'],
      ['valid_until before valid_from', { valid_until: '2015-01-01T00:00:00Z' }, 'INVALID_CONSTRAINT'],
      ['unparseable pattern', { pattern: 'nope' }, 'INVALID_PATTERN'],
      [
        'external reference without content',
        { external_references: [{ source_name: 'x' }] },
        'MISSING_PROPERTY',
      ],
      [
        'bad cve id',
        { external_references: [{ source_name: 'cve', external_id: 'CVE-1' }] },
        'INVALID_CONSTRAINT',
      ],
      [
        'granular marking with both',
        {
          granular_markings: [
            {
              selectors: ['name'],
              lang: 'en',
              marking_ref: 'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9',
            },
          ],
        },
        'INVALID_MARKING',
      ],
      ['null property', { name: null }, 'WRONG_VALUE_TYPE'],
      ['bad language tag', { lang: 'english!' }, 'INVALID_LANGUAGE_TAG'],
      [
        'selector of a missing property',
        {
          granular_markings: [
            {
              selectors: ['description'],
              marking_ref: 'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9',
            },
          ],
        },
        'INVALID_MARKING',
      ],
      [
        'sighting of an SCO',
        {
          type: 'sighting',
          id: 'sighting--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
          sighting_of_ref: 'file--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
        },
        'INVALID_REFERENCE_TYPE',
      ],
      [
        'bad extension_type',
        {
          extensions: {
            'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d': { extension_type: 'other' },
          },
        },
        'INVALID_EXTENSION',
      ],
    ];
    for (const [name, patch, code] of cases) {
      it(`reports ${code} for ${name}`, () => assert.ok(codes({ ...base, ...patch }).errors.includes(code)));
    }
  });

  describe('when content is only questionable', () => {
    it('warns on open-vocabulary values and custom properties', () => {
      const { errors, warnings } = codes({ ...base, indicator_types: ['made-up'], custom_thing: 1, x_ok: 2 });
      assert.deepEqual(errors, []);
      assert.deepEqual(warnings.sort(), ['CUSTOM_PROPERTY', 'VOCABULARY_VALUE']);
    });
    it('warns on conventions the specification recommends', () => {
      const phases = [{ kill_chain_name: 'Lockheed Martin', phase_name: 'recon' }];
      assert.deepEqual(codes({ ...base, kill_chain_phases: phases }).warnings, ['STYLE_RECOMMENDATION']);
    });
    it('warns on custom object types', () => {
      const custom = { ...base, type: 'x-custom', id: 'x-custom--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f' };
      assert.deepEqual(codes(custom).warnings, ['CUSTOM_OBJECT_TYPE']);
    });
  });

  describe('when validating SCOs (STIX 2.1 §6)', () => {
    it('accepts a deterministic ipv4-addr and flags forbidden SDO properties', () => {
      const ip = {
        type: 'ipv4-addr',
        spec_version: '2.1',
        id: 'ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4',
        value: '198.51.100.3',
      };
      assert.deepEqual(codes(ip), { errors: [], warnings: [] });
      assert.deepEqual(codes({ ...ip, created: '2016-04-06T20:03:48.000Z' }).errors, ['FORBIDDEN_PROPERTY']);
    });
    it('warns when a UUIDv5 identifier is not the deterministic one', () => {
      const ip = {
        type: 'ipv4-addr',
        id: 'ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4',
        value: '198.51.100.4',
      };
      assert.deepEqual(codes(ip).warnings, ['DETERMINISTIC_ID']);
    });
    it('checks the predefined extensions (§6)', () => {
      const traffic = {
        type: 'network-traffic',
        id: 'network-traffic--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
        dst_ref: 'ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4',
        protocols: ['tcp', 'http'],
        extensions: {
          'http-request-ext': { request_method: 'get', request_value: '/login' },
          'tcp-ext': { src_flags_hex: '02' },
        },
      };
      assert.deepEqual(codes(traffic), { errors: [], warnings: [] });
      const bad = {
        ...traffic,
        extensions: {
          'http-request-ext': { request_method: 'get' },
          'socket-ext': { address_family: 'AF_X' },
        },
      };
      assert.deepEqual(codes(bad).errors.sort(), ['INVALID_ENUM_VALUE', 'MISSING_PROPERTY']);
      assert.deepEqual(codes({ ...traffic, extensions: { 'pdf-ext': { version: '1.7' } } }).warnings, [
        'INVALID_EXTENSION',
      ]);
    });

    it('checks hashes and type-specific constraints', () => {
      const file = { type: 'file', id: 'file--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', hashes: { MD5: 'xyz' } };
      assert.deepEqual(codes(file).errors, ['INVALID_HASH']);
      assert.deepEqual(codes({ type: 'file', id: file.id, size: 3 }).errors, ['MISSING_PROPERTY']);
    });
  });

  describe('when validating marking definitions (STIX 2.1 §7.2)', () => {
    const tlp = {
      type: 'marking-definition',
      spec_version: '2.1',
      id: 'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9',
      created: '2017-01-20T00:00:00.000Z',
      definition_type: 'tlp',
      name: 'TLP:WHITE',
      definition: { tlp: 'white' },
    };
    const tlp2 = {
      type: 'marking-definition',
      spec_version: '2.1',
      id: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
      created: '2022-10-01T00:00:00.000Z',
      name: 'TLP:GREEN',
      extensions: {
        'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d': {
          extension_type: 'property-extension',
          tlp_2_0: 'green',
        },
      },
    };
    it('accepts TLP 1.0 and TLP 2.0 markings with their fixed identifiers', () => {
      assert.deepEqual(codes(tlp).errors, []);
      assert.deepEqual(codes(tlp2).errors, []);
    });
    it('rejects a TLP level under another identifier, and forbidden modified', () => {
      assert.deepEqual(codes({ ...tlp, definition: { tlp: 'red' } }).errors, ['INVALID_MARKING']);
      const ext = {
        ...tlp2.extensions['extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d'],
        tlp_2_0: 'amber',
      };
      assert.deepEqual(
        codes({ ...tlp2, extensions: { 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d': ext } })
          .errors,
        ['INVALID_MARKING'],
      );
      assert.deepEqual(codes({ ...tlp, modified: '2017-01-20T00:00:00.000Z' }).errors, [
        'FORBIDDEN_PROPERTY',
      ]);
    });
  });

  describe('when validating relationships (STIX 2.1 §4, §5)', () => {
    const rel = {
      type: 'relationship',
      spec_version: '2.1',
      id: 'relationship--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
      created: '2016-04-06T20:03:48.000Z',
      modified: '2016-04-06T20:03:48.000Z',
      relationship_type: 'indicates',
      source_ref: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
      target_ref: 'malware--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
    };
    it('accepts relationships of the specification and the common ones', () => {
      assert.deepEqual(codes(rel), { errors: [], warnings: [] });
      assert.deepEqual(codes({ ...rel, relationship_type: 'related-to' }).warnings, []);
      assert.deepEqual(
        codes({
          ...rel,
          target_ref: 'x-custom--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
          relationship_type: 'zaps',
        }).warnings,
        [],
      );
    });
    it('warns on other relationship types and rejects references to relationships', () => {
      assert.deepEqual(codes({ ...rel, relationship_type: 'subtechnique-of' }).warnings, [
        'RELATIONSHIP_TYPE',
      ]);
      const toSro = { ...rel, target_ref: 'relationship--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f' };
      assert.deepEqual(codes(toSro).errors, ['INVALID_REFERENCE_TYPE']);
    });
  });

  it('rejects non-objects and bad type names', () => {
    assert.deepEqual(codes([1]).errors, ['NOT_AN_OBJECT']);
    assert.deepEqual(codes({ ...base, type: 'Bad_Type' }).errors, ['INVALID_TYPE_NAME']);
  });
});
