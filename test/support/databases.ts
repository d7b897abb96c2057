import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'node:test';
import pg from 'pg';

export type Engine = 'sqlite' | 'postgres';
export const ENGINES: readonly Engine[] = ['sqlite', 'postgres'];

/** Why an engine cannot run here, or false. PostgreSQL runs when TABELLA_TEST_PG names a database. */
export function skipReason(engine: Engine): string | false {
  if (engine === 'postgres' && !process.env.TABELLA_TEST_PG) {
    return 'TABELLA_TEST_PG is not set, so there is no PostgreSQL for this run (npm test sets it when one is reachable)';
  }
  return false;
}

/**
 * Runs a suite once per database engine. Every integration test must use this, so each feature is
 * proven on SQLite and on PostgreSQL.
 */
export function describeEachEngine(title: string, suite: (engine: Engine) => void): void {
  for (const engine of ENGINES) {
    describe(`${title} [${engine}]`, { skip: skipReason(engine) }, () => suite(engine));
  }
}

export interface ScratchDatabase {
  readonly url: string;
  readonly dataDir: string;
  cleanup(): Promise<void>;
}

/**
 * A fresh, empty database: a SQLite file in a temporary directory, or a new PostgreSQL schema
 * selected through the connection's search_path. Tests never share one.
 */
export async function scratchDatabase(engine: Engine): Promise<ScratchDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tabella-test-'));
  const removeDir = () => rmSync(dataDir, { recursive: true, force: true });
  if (engine === 'sqlite') {
    return { url: `sqlite:${join(dataDir, 'tabella.db')}`, dataDir, cleanup: async () => removeDir() };
  }
  const base = process.env.TABELLA_TEST_PG;
  if (!base) throw new Error('TABELLA_TEST_PG is not set');
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const sep = base.includes('?') ? '&' : '?';
  const url = `${base}${sep}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  return {
    url,
    dataDir,
    cleanup: async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
      removeDir();
    },
  };
}
