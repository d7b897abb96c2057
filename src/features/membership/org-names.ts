import { isoTime } from '../../core/clock.ts';
import { TabellaError } from '../../core/errors.ts';
import { nameSkeleton } from '../../core/names.ts';
import type { Executor } from '../context.ts';
import { orgNamesExcept } from './org-store.ts';

/** The answer to a taken name, whether the check found it or the unique index did (a concurrent create). */
export const nameTaken = (field: string, cause?: unknown) =>
  new TabellaError('ORG_NAME_TAKEN', 'an organization with this name exists', {
    fields: [field],
    ...(cause === undefined ? {} : { cause }),
  });

/**
 * Refuses an organization name (already normalized) that another organization has (409
 * ORG_NAME_TAKEN) or that looks like another's (409 NAME_CONFUSABLE: equal skeletons,
 * core/names.ts), so that no member can pose as another. Callers own the transaction and write the
 * name in it: the check first upserts one settings row, whose lock (PostgreSQL) serializes name
 * writers until commit — two concurrent creates of look-alike names cannot both pass. SQLite
 * serializes writers anyway. The unique index on `name` still backs up the exact case.
 */
export async function assertOrgNameFree(
  trx: Executor,
  now: number,
  name: string,
  field: string,
  exceptId?: string,
): Promise<void> {
  const at = isoTime(now);
  await trx
    .insertInto('settings')
    .values({ key: 'org-names.lock', value: at })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: at }))
    .execute();
  const skeleton = nameSkeleton(name);
  for (const other of await orgNamesExcept(trx, exceptId)) {
    if (other.name === name) throw nameTaken(field);
    if (nameSkeleton(other.name) === skeleton) {
      throw new TabellaError('NAME_CONFUSABLE', `${field}: looks like the name of another organization`, {
        fields: [field],
      });
    }
  }
}
