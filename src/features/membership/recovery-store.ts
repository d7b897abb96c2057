import type { Selectable } from 'kysely';
import { newId } from '../../core/ids.ts';
import type { RecoveryCodesTable } from '../../db/schema.ts';
import type { Executor } from '../context.ts';

/** Recovery codes, stored as digests only (recovery-code.ts). */

/** Replaces a member's codes with a new set: every code of the old set stops working. */
export async function replaceRecoveryCodes(
  db: Executor,
  memberId: string,
  hashes: readonly string[],
  at: string,
): Promise<void> {
  await db.deleteFrom('recovery_codes').where('member_id', '=', memberId).execute();
  await db
    .insertInto('recovery_codes')
    .values(
      hashes.map((code_hash) => ({
        id: newId('rcv'),
        member_id: memberId,
        code_hash,
        created_at: at,
        used_at: null,
      })),
    )
    .execute();
}

export async function deleteRecoveryCodes(db: Executor, memberId: string): Promise<number> {
  const r = await db.deleteFrom('recovery_codes').where('member_id', '=', memberId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function unspentRecoveryCodes(
  db: Executor,
  memberId: string,
): Promise<Pick<Selectable<RecoveryCodesTable>, 'id' | 'code_hash'>[]> {
  return db
    .selectFrom('recovery_codes')
    .select(['id', 'code_hash'])
    .where('member_id', '=', memberId)
    .where('used_at', 'is', null)
    .execute();
}

export async function countUnspentRecoveryCodes(db: Executor, memberId: string): Promise<number> {
  const row = await db
    .selectFrom('recovery_codes')
    .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
    .where('member_id', '=', memberId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Spends one code by compare-and-set: of any number of requests presenting it, on any node, only
 * the first marks it used. Returns whether this call spent it.
 */
export async function spendRecoveryCode(db: Executor, id: string, at: string): Promise<boolean> {
  const r = await db
    .updateTable('recovery_codes')
    .set({ used_at: at })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
