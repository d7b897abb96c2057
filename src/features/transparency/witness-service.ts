import { isoTime } from '../../core/clock.ts';
import { forbidden, TabellaError } from '../../core/errors.ts';
import { isUniqueViolation } from '../../db/unique-violation.ts';
import { canOperateWitness } from '../../policy/index.ts';
import {
  cosignatureTimestamp,
  type DecodedKey,
  decodeVerifierKey,
  isTlogVerifyError,
  noteVerifierFromKey,
  openNote,
  parseNote,
} from '../../tlog/index.ts';
import { recordAudit } from '../audit/record.ts';
import type { Executor, ServiceContext } from '../context.ts';
import { getCheckpointAt } from './log-store.ts';

/** C2SP tlog-cosignature key type (cosignature/v1). */
const COSIGNATURE_KEY_TYPE = 0x04;

/** The largest cosignature timestamp (seconds) the `log_cosignatures.signed_at` column holds. */
const MAX_SIGNED_AT = 2_147_483_647;

const keyIdHex = (id: number) => id.toString(16).padStart(8, '0');

function decodeWitnessKey(vkey: string): DecodedKey {
  try {
    const key = decodeVerifierKey(vkey);
    if (key.type !== COSIGNATURE_KEY_TYPE) throw new Error('not a cosignature/v1 key');
    return key;
  } catch (cause) {
    throw new TabellaError('INVALID_SIGNATURE', 'vkey: not a C2SP cosignature/v1 verifier key', {
      fields: ['vkey'],
      cause,
    });
  }
}

export interface WitnessView {
  readonly keyId: string;
  readonly name: string;
  readonly vkey: string;
  readonly orgId: string;
}

/** The key as registered already: a no-op for the same witness, a conflict for another. */
async function alreadyRegistered(db: Executor, view: WitnessView) {
  const existing = await db
    .selectFrom('log_witnesses')
    .selectAll()
    .where('key_id', '=', view.keyId)
    .executeTakeFirst();
  if (existing === undefined) return undefined;
  if (existing.org_id !== view.orgId || existing.vkey !== view.vkey)
    throw new TabellaError('CONFLICT', 'this key ID is registered to another witness');
  return { ...view, created: false };
}

/** An oversight body registers its witness key; registering the same key again is a no-op. */
export async function registerWitness(
  ctx: ServiceContext,
  vkey: string,
): Promise<WitnessView & { readonly created: boolean }> {
  if (!canOperateWitness(ctx.actor) || ctx.actor.kind !== 'member') {
    throw forbidden('witnesses are run by the admins and auditors of vetted oversight bodies');
  }
  const key = decodeWitnessKey(vkey.trim());
  const view = { keyId: keyIdHex(key.keyId), name: key.name, vkey: vkey.trim(), orgId: ctx.actor.orgId };
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const existing = await alreadyRegistered(trx, view);
      if (existing !== undefined) return existing;
      await trx
        .insertInto('log_witnesses')
        .values({
          key_id: view.keyId,
          name: view.name,
          vkey: view.vkey,
          org_id: view.orgId,
          created_at: isoTime(ctx.clock.now()),
        })
        .execute();
      await recordAudit(trx, ctx, {
        action: 'witness.register',
        subjectType: 'witness',
        subjectId: view.keyId,
        details: { name: view.name },
      });
      return { ...view, created: true };
    });
  } catch (err) {
    // A concurrent registration of the same key ID won the primary key (issue 10 §5): answer as
    // the sequential second registration is answered, from the winner's committed row.
    if (!isUniqueViolation(err)) throw err;
    const winner = await alreadyRegistered(ctx.db, view);
    if (winner === undefined) throw err;
    return winner;
  }
}

/**
 * Accepts a witness's cosignature (a signature line, attacker-controlled) on the checkpoint of the
 * given size; it is kept and served with that checkpoint.
 */
export async function submitCosignature(
  ctx: ServiceContext,
  input: { readonly size: number; readonly signature: string },
) {
  if (!canOperateWitness(ctx.actor) || ctx.actor.kind !== 'member')
    throw forbidden('only registered witnesses cosign');
  const orgId = ctx.actor.orgId;
  const checkpoint = await getCheckpointAt(ctx.db, input.size);
  if (checkpoint === undefined) throw new TabellaError('NOT_FOUND', 'no checkpoint of that size');
  const line = input.signature.endsWith('\n') ? input.signature : `${input.signature}\n`;
  const text = parseNote(checkpoint.note).text;
  let parsed: ReturnType<typeof parseNote>;
  try {
    parsed = parseNote(`${text}\n${line}`);
  } catch (cause) {
    throw new TabellaError('INVALID_SIGNATURE', 'signature: not a signed-note signature line', {
      fields: ['signature'],
      cause,
    });
  }
  const sig = parsed.signatures[0];
  if (parsed.signatures.length !== 1 || sig === undefined) {
    throw new TabellaError('INVALID_SIGNATURE', 'signature: exactly one signature line', {
      fields: ['signature'],
    });
  }
  const witness = await ctx.db
    .selectFrom('log_witnesses')
    .selectAll()
    .where('key_id', '=', keyIdHex(sig.keyId))
    .executeTakeFirst();
  if (witness === undefined || witness.org_id !== orgId || witness.name !== sig.name) {
    throw new TabellaError(
      'INVALID_SIGNATURE',
      'signature: not by a witness registered to this organization',
      { fields: ['signature'] },
    );
  }
  try {
    openNote(`${text}\n${line}`, [noteVerifierFromKey(witness.vkey)]);
  } catch (cause) {
    if (isTlogVerifyError(cause))
      throw new TabellaError('INVALID_SIGNATURE', 'signature: does not verify', {
        fields: ['signature'],
        cause,
      });
    throw cause;
  }
  const signedAt = cosignatureTimestamp(sig.signature) ?? 0;
  // signed_at is a 32-bit integer column on PostgreSQL: a later time (past 2038-01-19) is refused
  // as input, not by the database (issue 10 §5).
  if (signedAt > MAX_SIGNED_AT) {
    throw new TabellaError('VALIDATION_FAILED', 'signature: its timestamp is out of range', {
      fields: ['signature'],
    });
  }
  // A cosignature is not written to the audit log: it is public itself (served with its checkpoint),
  // and logging it would grow the log past the checkpoint it signs, so that no served checkpoint
  // could ever carry a cosignature.
  await ctx.db
    .insertInto('log_cosignatures')
    .values({
      key_id: witness.key_id,
      size: input.size,
      signature: line,
      signed_at: signedAt,
      received_at: isoTime(ctx.clock.now()),
    })
    .onConflict((oc) => oc.columns(['key_id', 'size']).doNothing())
    .execute();
  return { keyId: witness.key_id, size: input.size };
}

/** Each witness with the largest tree size it has cosigned, for the oversight page. */
export async function listWitnesses(ctx: ServiceContext) {
  const witnesses = await ctx.db
    .selectFrom('log_witnesses as w')
    .innerJoin('organizations as o', 'o.id', 'w.org_id')
    .select(['w.key_id', 'w.name', 'w.vkey', 'w.org_id', 'o.name as org_name'])
    .orderBy('w.name')
    .execute();
  const latest = await ctx.db
    .selectFrom('log_cosignatures')
    .select(['key_id', (eb) => eb.fn.max('size').as('size'), (eb) => eb.fn.max('signed_at').as('signed_at')])
    .groupBy('key_id')
    .execute();
  const byKey = new Map(latest.map((l) => [l.key_id, l]));
  return witnesses.map((w) => {
    const l = byKey.get(w.key_id);
    return {
      keyId: w.key_id,
      name: w.name,
      vkey: w.vkey,
      orgId: w.org_id,
      orgName: w.org_name,
      cosignedSize: l === undefined ? null : Number(l.size),
      cosignedAt: l === undefined ? null : new Date(Number(l.signed_at) * 1000).toISOString(),
    };
  });
}
