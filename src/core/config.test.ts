import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { it } from 'node:test';
import { loadConfig } from './config.ts';
import { isTabellaError } from './errors.ts';

const PG = 'postgres://tabella@db.internal:5432/tabella';

it('takes the log key from the data directory only when it is this database’s (issue 11 §6)', () => {
  const key = (over: Parameters<typeof loadConfig>[0], env: Record<string, string> = {}) =>
    loadConfig(over, env).logKey;
  const data = resolve('data');
  assert.deepEqual(key({}), {
    kind: 'file',
    path: join(data, 'log-signer.key'),
    from: 'data directory',
    bound: true,
  });
  // A database named elsewhere with no data directory: ./data is another instance's.
  for (const named of [key({ db: PG }), key({}, { TABELLA_DB: PG })]) {
    assert.ok(named.kind === 'file' && !named.bound);
  }
  const other = key({ db: 'sqlite:/srv/other/tabella.db' });
  assert.ok(other.kind === 'file' && !other.bound);
  // Named data directories, or the SQLite file inside the data directory, are.
  const named = key({ db: PG, dataDir: '/srv/tabella' });
  assert.deepEqual(named, {
    kind: 'file',
    path: '/srv/tabella/log-signer.key',
    from: 'data directory',
    bound: true,
  });
  const byEnv = key({}, { TABELLA_DB: PG, TABELLA_DATA_DIR: '/srv/tabella' });
  assert.ok(byEnv.kind === 'file' && byEnv.bound);
  const inside = key({ db: `sqlite:${join(data, 'tabella.db')}` });
  assert.ok(inside.kind === 'file' && inside.bound);
  // The two settings.
  assert.deepEqual(key({ db: PG }, { TABELLA_LOG_KEY_FILE: '/run/secrets/log-key' }), {
    kind: 'file',
    path: '/run/secrets/log-key',
    from: 'TABELLA_LOG_KEY_FILE',
    bound: true,
  });
  assert.deepEqual(key({ db: PG }, { TABELLA_LOG_KEY: ' PRIVATE+KEY+x+00000000+AA==\n' }), {
    kind: 'value',
    value: 'PRIVATE+KEY+x+00000000+AA==',
  });
  assert.throws(
    () => key({}, { TABELLA_LOG_KEY: 'PRIVATE+KEY+x', TABELLA_LOG_KEY_FILE: '/k' }),
    (err: unknown) => isTabellaError(err) && err.code === 'VALIDATION_FAILED',
  );
  assert.equal(loadConfig({}, {}).instanceNameSet, false);
  assert.equal(loadConfig({}, { TABELLA_INSTANCE_NAME: 'isac.example' }).instanceNameSet, true);
});
