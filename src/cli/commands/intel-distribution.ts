import { TabellaError } from '../../core/errors.ts';
import type { Distribution } from '../../policy/index.ts';

export const DISTRIBUTION_FORMS = 'org | community | public | orgs:ID,ID | group:ID[:open]';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const ORG_ID = new RegExp(`^org_${UUID}$`, 'i');
const GROUP_ID = new RegExp(`^grp_${UUID}$`, 'i');

function refuse(message: string): TabellaError {
  return new TabellaError('VALIDATION_FAILED', `--distribution: ${message}`, { fields: ['--distribution'] });
}

/**
 * `org | community | public | orgs:ID,ID | group:ID[:open]` → a Distribution (`:open`: future
 * members too). Recipients are named by id only: a distribution decides who may read, and names
 * change and repeat (two groups may share a name), so a name is refused — with where to find the
 * id — rather than looked up.
 *
 * @example
 * parseDistribution('group:grp_5b0c…:open'); // { kind: 'group', groupId: 'grp_5b0c…', futureMembers: true }
 */
export function parseDistribution(text: string): Distribution {
  if (text === 'org' || text === 'community' || text === 'public') return { kind: text };
  const colon = text.indexOf(':');
  const [kind, rest] = colon < 0 ? [text, ''] : [text.slice(0, colon), text.slice(colon + 1)];
  if (kind === 'orgs') {
    const orgIds = rest
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
    const name = orgIds.find((x) => !ORG_ID.test(x));
    if (name !== undefined)
      throw refuse(
        `${JSON.stringify(name)} is not an organization id (org_…); give ids, which \`tabella org list\` shows`,
      );
    if (orgIds.length > 0) return { kind: 'orgs', orgIds };
  }
  if (kind === 'group') {
    const [groupId = '', open, ...more] = rest.split(':').map((x) => x.trim());
    if (groupId !== '' && !GROUP_ID.test(groupId))
      throw refuse(
        `${JSON.stringify(groupId)} is not a sharing group id (grp_…); give the id, which ` +
          '`GET /api/v1/groups` shows to a member of the organization',
      );
    if (groupId !== '' && more.length === 0 && (open === undefined || open === 'open'))
      return { kind: 'group', groupId, futureMembers: open === 'open' };
  }
  throw refuse(DISTRIBUTION_FORMS);
}
