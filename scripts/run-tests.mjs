#!/usr/bin/env node
// Runs every *.test.ts under src/ and test/ with node:test through tsx.
// PostgreSQL: integration tests also run on PostgreSQL when TABELLA_TEST_PG is set. When it is not,
// this script looks for the local server these machines run (127.0.0.1:5432, trust auth) and, if
// it answers, creates a throw-away database for the run and drops it afterwards.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const filters = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--only');

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

let files = [...walk('src'), ...walk('test')].sort();
if (only === 'unit') files = files.filter((f) => f.startsWith('src'));
if (filters.length > 0) files = files.filter((f) => filters.some((x) => f.includes(x)));

const env = { ...process.env };
let dropDb;
if (!env.TABELLA_TEST_PG && env.TABELLA_TEST_PG !== '') {
  const admin = 'postgres://postgres@127.0.0.1:5432/postgres';
  const client = new pg.Client({ connectionString: admin, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    const name = `tabella_test_${process.pid}`;
    await client.query(`DROP DATABASE IF EXISTS ${name}`);
    await client.query(`CREATE DATABASE ${name}`);
    env.TABELLA_TEST_PG = `postgres://postgres@127.0.0.1:5432/${name}`;
    dropDb = async () => {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    };
    console.log(`PostgreSQL: using throw-away database ${name} on 127.0.0.1:5432`);
  } catch {
    console.log('PostgreSQL: none reachable and TABELLA_TEST_PG unset — PostgreSQL runs will be SKIPPED');
  } finally {
    await client.end().catch(() => {});
  }
}

const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files],
  { stdio: 'inherit', env },
);
if (dropDb) await dropDb().catch((e) => console.error('could not drop test database:', e.message));
process.exit(result.status ?? 1);
