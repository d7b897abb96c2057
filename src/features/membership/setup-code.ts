import { randomInt } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { safeEqual, sha256Hex } from '../../core/secrets.ts';
import type { Executor, ServiceContext } from '../context.ts';
import { operatorAdminExists } from './member-store.ts';

/**
 * The one-time setup code (issue 11 §4). First-run setup over HTTP needs it, so that whoever
 * reaches a fresh server's port first cannot make themselves its operator. Only its SHA-256 is kept,
 * in the database (`settings`), so it is the same on every node sharing the database; the code itself
 * is printed on the console of the node that made it and written to `<data dir>/setup-code`
 * (mode 0600). Setup deletes both; the CLI, a local operator, needs no code.
 */
export const SETUP_CODE_FILE = 'setup-code';
const SETTING = 'setup.code';
/** Crockford's base32 alphabet: no I, L, O or U to misread. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** 20 symbols of 5 bits: 100 bits, far beyond guessing at the address throttle's pace. */
const LENGTH = 20;

export function setupCodeFile(dataDir: string): string {
  return join(dataDir, SETUP_CODE_FILE);
}

/** The form a typed code is compared in (attacker-controlled): case, spaces and dashes do not count. */
export function canonicalSetupCode(value: string): string {
  return value.toUpperCase().replace(/[\s-]/g, '');
}

function newCode(): string {
  let code = '';
  for (let i = 0; i < LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}

/** `XXXXX-XXXXX-XXXXX-XXXXX`, as printed and written. */
function grouped(code: string): string {
  return code.match(/.{1,5}/g)?.join('-') ?? code;
}

function readLocalCode(dataDir: string): string | undefined {
  try {
    return canonicalSetupCode(readFileSync(setupCodeFile(dataDir), 'utf8'));
  } catch {
    return undefined;
  }
}

function writeLocalCode(dataDir: string, code: string): void {
  mkdirSync(dataDir, { recursive: true });
  const file = setupCodeFile(dataDir);
  // Removed first: `mode` applies only to a file that is created, never to an existing one.
  rmSync(file, { force: true });
  writeFileSync(file, `${grouped(code)}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
}

export function removeLocalSetupCode(dataDir: string): void {
  rmSync(setupCodeFile(dataDir), { force: true });
}

async function storedHash(db: Executor): Promise<string | undefined> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', SETTING).executeTakeFirst();
  return row?.value;
}

export type SetupCodeState =
  /** The instance is set up: no code, and any left-over file was removed. */
  | { readonly kind: 'done' }
  /** This node holds the valid code (made now, or kept from an earlier start). */
  | { readonly kind: 'issued'; readonly code: string; readonly file: string }
  /** Another node made the code: it is on that node's console and in its data directory. */
  | { readonly kind: 'elsewhere' };

/**
 * Run at server start. While setup is needed, keeps the code this node's data directory holds if it
 * is the one in the database (a restart does not change it); makes one when the database has none;
 * and otherwise leaves another node's code in force. `fresh` (the CLI's `tabella setup-code`)
 * replaces whatever code there is.
 */
export async function prepareSetupCode(
  ctx: Pick<ServiceContext, 'db' | 'config'>,
  fresh = false,
): Promise<SetupCodeState> {
  const { dataDir } = ctx.config;
  if (await operatorAdminExists(ctx.db)) {
    await ctx.db.deleteFrom('settings').where('key', '=', SETTING).execute();
    removeLocalSetupCode(dataDir);
    return { kind: 'done' };
  }
  const local = readLocalCode(dataDir);
  const hash = await storedHash(ctx.db);
  if (!fresh && local !== undefined && hash !== undefined && safeEqual(sha256Hex(local), hash)) {
    return { kind: 'issued', code: grouped(local), file: setupCodeFile(dataDir) };
  }
  const code = newCode();
  const q = ctx.db.insertInto('settings').values({ key: SETTING, value: sha256Hex(code) });
  // Of nodes starting together on an empty database, the first one's code stands.
  const made = await (fresh
    ? q.onConflict((oc) => oc.column('key').doUpdateSet({ value: sha256Hex(code) }))
    : q.onConflict((oc) => oc.column('key').doNothing())
  )
    .returning('key')
    .executeTakeFirst();
  if (made === undefined) {
    removeLocalSetupCode(dataDir);
    return { kind: 'elsewhere' };
  }
  writeLocalCode(dataDir, code);
  return { kind: 'issued', code: grouped(code), file: setupCodeFile(dataDir) };
}

/** Whether `given` (attacker-controlled) is the code in force, compared as hashes in constant time. */
export async function setupCodeMatches(db: Executor, given: string): Promise<boolean> {
  const hash = await storedHash(db);
  const candidate = sha256Hex(canonicalSetupCode(given));
  // Compared even when no code exists, so the answer takes the same time either way.
  return safeEqual(candidate, hash ?? '0'.repeat(64)) && hash !== undefined;
}

/** Forgets the code in the transaction that completes setup. */
export async function spendSetupCode(trx: Executor): Promise<void> {
  await trx.deleteFrom('settings').where('key', '=', SETTING).execute();
}
