import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StixValidationError } from '../errors.ts';
import { parseStixObject } from '../parse.ts';
import type { Identifier, Indicator, Ipv4Address, MarkingDefinition, StixObject } from './index.ts';

// Type-level checks (STYLE.md practice 16): these lines must compile, and the @ts-expect-error
// lines must not; `tsc --noEmit` runs over test files.
function describeObject(o: StixObject): string {
  switch (o.type) {
    case 'indicator':
      return o.pattern;
    case 'ipv4-addr':
      return o.value;
    case 'marking-definition':
      return o.definition_type ?? 'extension';
    default:
      return o.type;
  }
}

const marking: MarkingDefinition = {
  type: 'marking-definition',
  spec_version: '2.1',
  id: 'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9',
  created: '2017-01-20T00:00:00.000Z',
  definition_type: 'tlp',
  definition: { tlp: 'white' },
};

const ip: Ipv4Address = {
  type: 'ipv4-addr',
  id: 'ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4',
  value: '198.51.100.3',
};

// @ts-expect-error an identifier names its own type
const wrongId: Identifier<'indicator'> = 'malware--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f';

export function mutate(o: Ipv4Address): void {
  // @ts-expect-error objects are readonly values
  o.value = '10.0.0.1';
}

// @ts-expect-error an indicator needs its pattern
const incomplete: Indicator = {
  type: 'indicator',
  spec_version: '2.1',
  id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
  created: '2016-04-06T20:03:48.000Z',
  modified: '2016-04-06T20:03:48.000Z',
  pattern_type: 'stix',
  valid_from: '2016-01-01T00:00:00Z',
};

describe('STIX model', () => {
  it('discriminates objects by type', () => {
    assert.equal(describeObject(marking), 'tlp');
    assert.equal(describeObject(ip), '198.51.100.3');
    assert.ok(wrongId !== undefined && incomplete !== undefined);
  });

  describe('parseStixObject', () => {
    it('returns a valid object typed', () => {
      const o = parseStixObject(JSON.parse(JSON.stringify(ip)) as unknown);
      assert.equal(o.type, 'ipv4-addr');
    });
    it('throws StixValidationError with the issues otherwise', () => {
      assert.throws(
        () => parseStixObject({ ...ip, value: 5 }),
        (e: unknown) =>
          e instanceof StixValidationError &&
          e.code === 'STIX_INVALID' &&
          e.issues[0]?.code === 'WRONG_VALUE_TYPE',
      );
    });
  });
});
