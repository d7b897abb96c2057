export type { Db, Engine } from './connect.ts';
export { openDatabase } from './connect.ts';
export type { Database } from './schema.ts';
