import type { Migration } from 'kysely';
import * as m001 from './001-membership.ts';

/** Every migration, in order. Names never change once released. */
export const migrations: Readonly<Record<string, Migration>> = {
  '001-membership': m001,
};
