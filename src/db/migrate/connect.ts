import type { DatabaseUrl } from '../url.js';
import type { MigrationEngine } from './engine.js';
import { connectMysql } from './mysql.js';
import { connectPostgres } from './postgres.js';
import { SqliteEngine, type SqliteOptions } from './sqlite.js';

/** The engine for a database URL's scheme, connected. */
export async function connectEngine(url: DatabaseUrl, options: SqliteOptions): Promise<MigrationEngine> {
  switch (url.engine) {
    case 'postgres':
      return connectPostgres(url);
    case 'mysql':
      return connectMysql(url);
    case 'sqlite':
      return new SqliteEngine(url.path!, options);
  }
}
