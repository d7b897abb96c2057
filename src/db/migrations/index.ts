import type { Migration } from 'kysely';
import * as m001 from './001-membership.ts';
import * as m002 from './002-transparency-log.ts';
import * as m003 from './003-intel.ts';

/** Every migration, in order. Names never change once released. */
export const migrations: Readonly<Record<string, Migration>> = {
  '001-membership': m001,
  '002-transparency-log': m002,
  '003-intel': m003,
};
