import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TLP1_MARKING_IDS, TLP2_MARKING_IDS } from './markings.ts';
import { isOfficialTlpDefinition, isTlpDefinitionId, TLP_DEFINITIONS } from './tlp-definitions.ts';
import { validateObject } from './validate/object.ts';

// Real-world vectors: STIX 2.1 §7.2.1.4 (TLP:WHITE) and the OASIS CTI TC's published TLP 2.0
// definition (cti-stix-common-objects, objects/marking-definition/…e828b379….json), as printed.
const SPEC_TLP1_WHITE = `{
  "type": "marking-definition",
  "spec_version": "2.1",
  "id": "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9",
  "created": "2017-01-20T00:00:00.000Z",
  "definition_type": "tlp",
  "name": "TLP:WHITE",
  "definition": { "tlp": "white" }
}`;
const OASIS_TLP2_RED = `{
  "type": "marking-definition",
  "spec_version": "2.1",
  "id": "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
  "created": "2022-10-01T00:00:00.000Z",
  "name": "TLP:RED",
  "extensions": {
    "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d": {
      "extension_type": "property-extension",
      "tlp_2_0": "red"
    }
  }
}`;

const red = (): Record<string, unknown> => JSON.parse(OASIS_TLP2_RED) as Record<string, unknown>;

describe('built-in TLP marking definitions', () => {
  it('hold the four TLP 1.0 and five TLP 2.0 definitions, each valid STIX', () => {
    assert.deepEqual(
      [...TLP_DEFINITIONS.keys()].sort(),
      [...Object.values(TLP1_MARKING_IDS), ...Object.values(TLP2_MARKING_IDS)].sort(),
    );
    for (const d of TLP_DEFINITIONS.values()) assert.equal(validateObject(d).errors, 0, String(d.id));
  });

  it('recognise the official texts of the specification and of OASIS', () => {
    assert.equal(isOfficialTlpDefinition(JSON.parse(SPEC_TLP1_WHITE) as Record<string, unknown>), true);
    assert.equal(isOfficialTlpDefinition(red()), true);
    for (const d of TLP_DEFINITIONS.values()) assert.equal(isOfficialTlpDefinition(structuredClone(d)), true);
  });

  it('compare created as an instant, whatever its fraction precision (§3.2)', () => {
    assert.equal(isOfficialTlpDefinition({ ...red(), created: '2022-10-01T00:00:00Z' }), true);
    assert.equal(isOfficialTlpDefinition({ ...red(), created: '2022-10-01T00:00:00.000001Z' }), false);
  });

  describe('when an object under an official id differs', () => {
    const variants: Readonly<Record<string, Record<string, unknown>>> = {
      'another statement under the TLP 2.0 RED id': {
        type: 'marking-definition',
        spec_version: '2.1',
        id: TLP2_MARKING_IDS.red,
        created: '2022-10-01T00:00:00.000Z',
        definition_type: 'statement',
        definition: { statement: 'Share freely.' },
      },
      'another name': { ...red(), name: 'TLP:RED (anyone may read)' },
      'no name': Object.fromEntries(Object.entries(red()).filter(([k]) => k !== 'name')),
      'an extra property': { ...red(), description: 'publish this' },
      'object markings on the definition': { ...red(), object_marking_refs: [TLP2_MARKING_IDS.clear] },
      'another level in the extension': {
        ...red(),
        extensions: {
          'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d': {
            extension_type: 'property-extension',
            tlp_2_0: 'clear',
          },
        },
      },
      'an explicit undefined property': { ...red(), labels: undefined },
      'another created': { ...red(), created: '2023-01-01T00:00:00.000Z' },
      'a created that is not a timestamp': { ...red(), created: 20221001 },
    };
    for (const [name, o] of Object.entries(variants)) {
      it(`refuses ${name}`, () => assert.equal(isOfficialTlpDefinition(o), false));
    }
  });

  it('say nothing about other ids', () => {
    const statement = { ...red(), id: 'marking-definition--fa42a846-8d90-4e51-bc29-71d5b4802168' };
    assert.equal(isTlpDefinitionId(statement.id), false);
    assert.equal(isOfficialTlpDefinition(statement), false);
    assert.equal(isTlpDefinitionId(42), false);
  });
});
