import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDistribution } from './intel-distribution.ts';

const GROUP = 'grp_5b0c2c1e-8f0a-4c7e-9d21-3f6a0b9e4d17';
const ORG_A = 'org_0f8e3c52-6a1d-4b7f-8e2c-9d4a1b6c3e70';
const ORG_B = 'org_7d2a9e41-3c5b-4f80-a1d6-2e8b0c7f5a93';
const refused = { code: 'VALIDATION_FAILED', fields: ['--distribution'] };

describe('parseDistribution', () => {
  it('--distribution group:ID[:open] says whether future group members may read (issue 9 §4)', () => {
    assert.deepEqual(parseDistribution(`group:${GROUP}`), {
      kind: 'group',
      groupId: GROUP,
      futureMembers: false,
    });
    assert.deepEqual(parseDistribution(`group:${GROUP}:open`), {
      kind: 'group',
      groupId: GROUP,
      futureMembers: true,
    });
    for (const bad of ['group:', `group:${GROUP}:closed`, `group:${GROUP}:open:x`, 'everyone', 'orgs:']) {
      assert.throws(() => parseDistribution(bad), refused, bad);
    }
  });

  it('takes the keywords and organization ids', () => {
    for (const kind of ['org', 'community', 'public'] as const)
      assert.deepEqual(parseDistribution(kind), { kind });
    assert.deepEqual(parseDistribution(`orgs:${ORG_A}, ${ORG_B}`), { kind: 'orgs', orgIds: [ORG_A, ORG_B] });
  });

  describe('when a recipient is given by name instead of id (issue 10 §7)', () => {
    it('refuses it as --distribution, whatever the name looks like', () => {
      for (const bad of [
        'group:My Group',
        'group:My Group:open',
        'group:Team: Blue',
        'group:grp_1',
        'orgs:Some Org Name',
        `orgs:${ORG_A},Wake County Board of Elections`,
        'orgs:org_missing',
      ]) {
        assert.throws(() => parseDistribution(bad), refused, bad);
      }
    });
  });
});
