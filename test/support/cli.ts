import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Db } from '../../src/db/index.ts';

/** The `tabella` command and the repository root it runs from, for CLI tests. */
export const BIN = fileURLToPath(new URL('../../bin/tabella.mjs', import.meta.url));
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The environment a CLI child gets: the session's own `TABELLA_*` settings removed (so every test
 * names its database and data directory explicitly), plus `extra`.
 */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env))
    if (key.startsWith('TABELLA_') && key !== 'TABELLA_TEST_PG') delete env[key];
  return { ...env, ...extra };
}

export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `tabella <args>` to completion (with `extra` environment) and collects its exit code and output. */
export function tabella(args: readonly string[], extra: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: cleanEnv(extra) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs `tabella <args> <where> --json`, which must exit 0 with one JSON object on stdout. */
// biome-ignore lint/suspicious/noExplicitAny: CLI output is JSON inspected dynamically
export async function tabellaJson(args: readonly string[], where: readonly string[]): Promise<any> {
  const r = await tabella([...args, ...where, '--json']);
  assert.equal(r.code, 0, `tabella ${args.join(' ')} failed: ${r.stderr}`);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, 1, `one JSON object expected, got: ${r.stdout}`);
  return JSON.parse(lines[0] ?? '');
}

/** Runs `tabella <args> <where> --json`, which must exit 1 with nothing on stdout and `code` (no stack) on stderr. */
export async function tabellaFails(
  args: readonly string[],
  where: readonly string[],
  code: string,
): Promise<void> {
  const r = await tabella([...args, ...where, '--json']);
  assert.equal(r.code, 1, `tabella ${args.join(' ')} should fail; stdout: ${r.stdout}`);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, new RegExp(`\\b${code}\\b`), r.stderr);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace for an expected error');
}

/** A live browser session of `memberId` written straight into the database (`id` names it). */
export async function insertSession(db: Db, memberId: string, id: string): Promise<void> {
  const at = new Date().toISOString();
  await db.kysely
    .insertInto('sessions')
    .values({
      id,
      member_id: memberId,
      csrf_token: 'csrf',
      mfa_passed: 0,
      created_at: at,
      last_seen_at: at,
      expires_at: '2999-01-01T00:00:00.000Z',
      absolute_expires_at: '2999-01-01T00:00:00.000Z',
    })
    .execute();
}
