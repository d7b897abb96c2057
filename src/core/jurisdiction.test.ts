import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeJurisdiction } from './jurisdiction.ts';

describe('jurisdictions (ISO 3166-2)', () => {
  it('accepts published subdivision codes and national codes, case-insensitively', () => {
    assert.equal(normalizeJurisdiction('US-NC'), 'US-NC');
    assert.equal(normalizeJurisdiction('ca-on'), 'CA-ON');
    assert.equal(normalizeJurisdiction('DE-BY'), 'DE-BY');
    assert.equal(normalizeJurisdiction('US'), 'US');
  });

  it('refuses codes that are well-formed but not published, and garbage', () => {
    for (const bad of ['US-XX', 'XX-NC', 'USA', 'US_NC', '', 'US-NC; DROP TABLE', 'DE-ZZ']) {
      assert.equal(normalizeJurisdiction(bad), undefined, bad);
    }
  });
});
