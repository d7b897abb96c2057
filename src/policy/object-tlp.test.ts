import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TLP_DEFINITIONS, TLP1_MARKING_IDS, TLP2_MARKING_IDS } from '../stix/index.ts';
import { granularTlpOf, markObject, nonTlpMarkingRefs } from './object-tlp.ts';
import { checkShare } from './sharing.ts';

const STATEMENT = 'marking-definition--fa42a846-8d90-4e51-bc29-71d5b4802168';
const STRANGER = 'marking-definition--0d6f1c8e-3b7a-4c55-9a3e-5d2f8e6b1a44';
const holds = (id: string) => id === STATEMENT;

const indicator = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  type: 'indicator',
  spec_version: '2.1',
  id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
  created: '2026-01-01T00:00:00.000Z',
  modified: '2026-01-01T00:00:00.000Z',
  description: 'C2 of the county phishing campaign',
  pattern: "[ipv4-addr:value = '198.51.100.7']",
  pattern_type: 'stix',
  valid_from: '2026-01-01T00:00:00.000Z',
  ...extra,
});

const granular = (ref: string, ...selectors: string[]) => ({ marking_ref: ref, selectors });

function marked(o: Record<string, unknown>, fallback: Parameters<typeof markObject>[1] = 'amber') {
  const r = markObject(o, fallback, holds);
  assert.ok(r.ok);
  return r;
}

describe('the TLP of an object', () => {
  describe('when granular markings carry TLP (STIX 2.1 §7.2.3)', () => {
    const o = indicator({
      object_marking_refs: [TLP2_MARKING_IDS.clear],
      granular_markings: [granular(TLP2_MARKING_IDS.red, 'description', 'pattern')],
    });

    it('takes the most restrictive level, and leaves the object as it is', () => {
      const r = marked(o);
      assert.equal(r.tlp, 'red');
      assert.equal(r.object, o);
    });

    it('so a CLEAR object with a RED part is not public', () => {
      assert.equal(checkShare({ kind: 'cli' }, marked(o).tlp, { kind: 'public' }), 'PUBLIC_NEEDS_CLEAR');
    });

    it('raises an unmarked object above the share default and stamps that level', () => {
      const r = marked(
        indicator({ granular_markings: [granular(TLP1_MARKING_IDS.amber, 'pattern')] }),
        'clear',
      );
      assert.equal(r.tlp, 'amber');
      assert.deepEqual(r.object.object_marking_refs, [TLP2_MARKING_IDS.amber]);
    });

    it('never lowers the object-level TLP', () => {
      const r = marked(
        indicator({
          object_marking_refs: [TLP2_MARKING_IDS.red],
          granular_markings: [granular(TLP2_MARKING_IDS.clear, 'description')],
        }),
      );
      assert.equal(r.tlp, 'red');
    });

    it('ignores language markings, which name no marking definition', () => {
      const r = marked(
        indicator({
          object_marking_refs: [TLP2_MARKING_IDS.green],
          granular_markings: [{ lang: 'fr', selectors: ['description'] }],
        }),
      );
      assert.equal(r.tlp, 'green');
      assert.equal(granularTlpOf(r.object), undefined);
    });
  });

  describe('when the only markings are not TLP (MITRE ATT&CK copyright statement)', () => {
    it('takes the share default, added to its markings beside the statement', () => {
      const r = marked(indicator({ object_marking_refs: [STATEMENT] }), 'clear');
      assert.equal(r.tlp, 'clear');
      assert.deepEqual(r.object.object_marking_refs, [STATEMENT, TLP2_MARKING_IDS.clear]);
    });

    it('is unknown when the statement is not a definition the instance holds', () => {
      const r = marked(indicator({ object_marking_refs: [STRANGER] }), 'clear');
      assert.equal(r.tlp, 'unknown');
      assert.deepEqual(r.object.object_marking_refs, [STRANGER], 'not stamped: it cannot be honoured');
    });

    it('is unknown when a granular marking names a definition the instance does not hold', () => {
      const r = marked(
        indicator({
          object_marking_refs: [TLP2_MARKING_IDS.green],
          granular_markings: [granular(STRANGER, 'pattern')],
        }),
      );
      assert.equal(r.tlp, 'unknown');
    });

    it('asks the holder only about references that are not TLP', () => {
      assert.deepEqual(
        nonTlpMarkingRefs(
          indicator({
            object_marking_refs: [TLP2_MARKING_IDS.green, STATEMENT],
            granular_markings: [granular(STRANGER, 'pattern'), { lang: 'en', selectors: ['description'] }],
          }),
        ),
        [STATEMENT, STRANGER],
      );
    });
  });

  describe('when an object is unmarked', () => {
    it('takes the share default as its marking', () => {
      const r = marked(indicator(), 'green');
      assert.equal(r.tlp, 'green');
      assert.deepEqual(r.object.object_marking_refs, [TLP2_MARKING_IDS.green]);
    });
  });

  describe('when the object is a built-in TLP definition', () => {
    it('accepts the official text unchanged, as TLP:CLEAR', () => {
      const official = structuredClone(TLP_DEFINITIONS.get(TLP2_MARKING_IDS.red) ?? {});
      const r = marked(official, 'red');
      assert.equal(r.tlp, 'clear');
      assert.deepEqual(r.object, official);
    });

    it('refuses any other text under its id with INVALID_MARKING', () => {
      const forged = {
        type: 'marking-definition',
        spec_version: '2.1',
        id: TLP2_MARKING_IDS.red,
        created: '2022-10-01T00:00:00.000Z',
        definition_type: 'statement',
        definition: { statement: 'Share freely.' },
      };
      const r = markObject(forged, 'clear', holds);
      assert.equal(r.ok, false);
      assert.equal(r.ok ? undefined : r.code, 'INVALID_MARKING');
    });
  });
});
