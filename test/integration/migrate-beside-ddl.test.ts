// Migrations on PostgreSQL while someone else drops schemas in the same database (another
// application's DDL, or another test's cleanup in CI): Kysely looks for its bookkeeping tables
// among every schema's tables, and a schema dropped during that look-up failed the migration with
// 3F000 "schema … does not exist" although the migrated schema was fine (db/connect.ts retries).
// PostgreSQL only: a SQLite file has no other schemas that anyone could drop.
import { randomBytes } from 'node:crypto';
import { it } from 'node:test';
import pg from 'pg';
import { openDatabase } from '../../src/db/index.ts';
import { scratchDatabase, skipReason } from '../support/databases.ts';

// Skipped, with skipReason's message, only where no PostgreSQL is reachable.
const skip = skipReason('postgres');
it('migrates a fresh PostgreSQL schema while other schemas are created and dropped beside it', {
  skip,
}, async () => {
  const base = process.env.TABELLA_TEST_PG;
  const ddl = new pg.Client({ connectionString: base });
  await ddl.connect();
  let stop = false;
  const churn = (async () => {
    while (!stop) {
      const name = `churn_${randomBytes(6).toString('hex')}`;
      await ddl.query(`CREATE SCHEMA ${name}`);
      await ddl.query(`CREATE TABLE ${name}.t (a int)`);
      await ddl.query(`DROP SCHEMA ${name} CASCADE`);
    }
  })();
  try {
    for (let i = 0; i < 12; i++) {
      const scratch = await scratchDatabase('postgres');
      try {
        const db = await openDatabase(scratch.url);
        await db.close();
      } finally {
        await scratch.cleanup();
      }
    }
  } finally {
    stop = true;
    await churn;
    await ddl.end();
  }
});
