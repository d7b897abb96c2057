import type { Migration } from 'kysely';
import * as m001 from './001-membership.ts';
import * as m002 from './002-transparency-log.ts';
import * as m003 from './003-intel.ts';
import * as m004 from './004-taxii-status.ts';
import * as m005 from './005-intel-lineages.ts';
import * as m006 from './006-audit-actor-sector.ts';
import * as m007 from './007-granular-tlp.ts';
import * as m008 from './008-auth-throttle.ts';
import * as m009 from './009-taxii-status-parts.ts';
import * as m011 from './011-recovery.ts';
import * as m012 from './012-org-renames.ts';
import * as m013 from './013-token-scopes.ts';
import * as m014 from './014-log-identity.ts';
import * as m015 from './015-relay-listings.ts';

/** Every migration, in order. Names never change once released. */
export const migrations: Readonly<Record<string, Migration>> = {
  '001-membership': m001,
  '002-transparency-log': m002,
  '003-intel': m003,
  '004-taxii-status': m004,
  '005-intel-lineages': m005,
  '006-audit-actor-sector': m006,
  '007-granular-tlp': m007,
  '008-auth-throttle': m008,
  '009-taxii-status-parts': m009,
  '011-recovery': m011,
  '012-org-renames': m012,
  '013-token-scopes': m013,
  '014-log-identity': m014,
  '015-relay-listings': m015,
};
