import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { INDICATOR, issuesOf } from '../../../test/support/stix-issues.ts';

const indicator = INDICATOR;

const errors = (o: unknown) => issuesOf(o, 'error');

const warnings = (o: unknown) => issuesOf(o, 'warning');

describe('validateObject: canonical identifiers and timestamps', () => {
  describe('when an identifier is not canonical (§2.9)', () => {
    const upper = 'indicator--8E2E2D2B-17D4-4CBF-938F-98EE46B3CD3F';
    it('refuses an upper-case UUID in id and in every reference', () => {
      assert.deepEqual(errors({ ...indicator, id: upper }), [['$.id', 'INVALID_IDENTIFIER']]);
      assert.deepEqual(
        errors({ ...indicator, created_by_ref: 'identity--2F9B8A3C-1D4E-4F5A-8B6C-7D8E9F0A1B2C' }),
        [['$.created_by_ref', 'INVALID_IDENTIFIER']],
      );
      assert.deepEqual(
        errors({
          ...indicator,
          object_marking_refs: ['marking-definition--613F2E26-407D-48C7-9ECA-B8E91DF99DC9'],
        }),
        [['$.object_marking_refs[0]', 'INVALID_IDENTIFIER']],
      );
      const relationship = {
        type: 'relationship',
        spec_version: '2.1',
        id: 'relationship--6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
        created: indicator.created,
        modified: indicator.modified,
        relationship_type: 'indicates',
        source_ref: upper,
        target_ref: 'malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b',
      };
      assert.deepEqual(errors(relationship), [['$.source_ref', 'INVALID_IDENTIFIER']]);
    });

    it('refuses a non-canonical identifier in a custom *_ref, and only warns about other values', () => {
      assert.deepEqual(errors({ ...indicator, x_acme_source_ref: upper }), [
        ['$.x_acme_source_ref', 'INVALID_IDENTIFIER'],
      ]);
      assert.deepEqual(errors({ ...indicator, x_acme_refs: [indicator.id, upper] }), [
        ['$.x_acme_refs[1]', 'INVALID_IDENTIFIER'],
      ]);
      assert.deepEqual(errors({ ...indicator, x_acme_source_ref: '' }), []);
      assert.deepEqual(warnings({ ...indicator, x_acme_source_ref: '' }), [
        ['$.x_acme_source_ref', 'INVALID_IDENTIFIER'],
      ]);
      assert.deepEqual(warnings({ ...indicator, x_acme_source_ref: indicator.id }), []);
    });
  });

  describe('when a timestamp has more than nine fraction digits (§3.2)', () => {
    it('refuses it with TIMESTAMP_PRECISION at its path, and accepts nine', () => {
      assert.deepEqual(errors({ ...indicator, modified: '2016-04-06T20:03:48.1234567891Z' }), [
        ['$.modified', 'TIMESTAMP_PRECISION'],
      ]);
      assert.deepEqual(errors({ ...indicator, valid_from: '2016-01-01T00:00:00.0000000000Z' }), [
        ['$.valid_from', 'TIMESTAMP_PRECISION'],
      ]);
      assert.deepEqual(errors({ ...indicator, modified: '2016-04-06T20:03:48.123456789Z' }), []);
    });
  });
});
