import assert from 'node:assert/strict';
import { it } from 'node:test';
import { parseDistribution } from './intel.ts';

it('--distribution group:ID[:open] says whether future group members may read (issue 9 §4)', () => {
  assert.deepEqual(parseDistribution('group:grp_1'), {
    kind: 'group',
    groupId: 'grp_1',
    futureMembers: false,
  });
  assert.deepEqual(parseDistribution('group:grp_1:open'), {
    kind: 'group',
    groupId: 'grp_1',
    futureMembers: true,
  });
  for (const bad of ['group:', 'group:grp_1:closed', 'group:grp_1:open:x']) {
    assert.throws(() => parseDistribution(bad), { code: 'VALIDATION_FAILED' }, bad);
  }
});
