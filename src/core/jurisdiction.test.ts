import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeJurisdiction } from './jurisdiction.ts';

describe('jurisdictions (ISO 3166-1, ISO 3166-2, US counties)', () => {
  it('accepts published subdivision codes and national codes, case-insensitively', () => {
    assert.equal(normalizeJurisdiction('US-NC'), 'US-NC');
    assert.equal(normalizeJurisdiction('ca-on'), 'CA-ON');
    assert.equal(normalizeJurisdiction('DE-BY'), 'DE-BY');
    assert.equal(normalizeJurisdiction('US'), 'US');
  });

  it('refuses codes that are well-formed but not published, and garbage', () => {
    for (const bad of [
      'US-XX',
      'XX-NC',
      'USA',
      'US_NC',
      '',
      'US-NC; DROP TABLE',
      'DE-ZZ',
      'North Carolina',
    ]) {
      assert.equal(normalizeJurisdiction(bad), undefined, bad);
    }
  });

  describe('when the code names a US county by its FIPS code', () => {
    it('accepts a published state and a three-digit county code, canonically upper case', () => {
      assert.equal(normalizeJurisdiction('US-NC-063'), 'US-NC-063'); // Durham County, FIPS 37063
      assert.equal(normalizeJurisdiction(' us-nc-183 '), 'US-NC-183'); // Wake County, FIPS 37183
      assert.equal(normalizeJurisdiction('US-CA-001'), 'US-CA-001'); // Alameda County, FIPS 06001
      assert.equal(normalizeJurisdiction('US-DC-001'), 'US-DC-001'); // the District, FIPS 11001
      assert.equal(normalizeJurisdiction('US-PR-127'), 'US-PR-127'); // San Juan Municipio, FIPS 72127
      assert.equal(normalizeJurisdiction('US-TX-507'), 'US-TX-507'); // Zavala County, FIPS 48507
    });

    it('refuses an unknown state, a county code that is not three digits, 000, or another country', () => {
      for (const bad of [
        'US-XX-063', // no such state
        'US-NC-63', // two digits
        'US-NC-0063', // four digits
        'US-NC-000', // FIPS county codes start at 001
        'US-NC-06A',
        'US-NC-',
        'US-NC--063',
        'US-NC-063-001',
        'US-37063', // the five-digit FIPS code alone is not a form Tabella takes
        'CA-ON-063', // counties only for the United States
        'DE-BY-001',
        'US--063',
        'US-NC-٠٦٣', // Arabic-Indic digits are not FIPS digits
      ]) {
        assert.equal(normalizeJurisdiction(bad), undefined, bad);
      }
    });
  });
});
