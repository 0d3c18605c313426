import { basename } from 'node:path';

import { ConfigurationError } from '../../core/errors.js';
import { type DatabaseEngine, parseDatabaseUrl } from '../url.js';

export type EngineName = DatabaseEngine;

/** A parsed database-url; the password stays here and reaches tools only through their environment. */
export interface DatabaseTarget {
  engine: EngineName;
  /** Database name (for SQLite, the file name without its extension). */
  database: string;
  host: string;
  port: number;
  user: string;
  password?: string;
  /** SQLite: absolute path of the database file. */
  file?: string;
  /** Query parameters such as sslmode. */
  params: Record<string, string>;
}

/** A database name we create, rename and put in object keys: letters, digits, "_" and "-". */
const DATABASE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_-]{0,62}$/;

/**
 * The shared database-url parser (src/db/url.ts), narrowed to what dumps and restores need: a name
 * safe to create, rename and put in object keys, and the engines' default users.
 */
export function dumpTarget(value: string, workspace: string, input = 'database-url'): DatabaseTarget {
  const url = parseDatabaseUrl(value, workspace, input);
  if (url.engine === 'sqlite') {
    const database =
      basename(url.path!)
        .replace(/\.[^.]*$/, '')
        .replace(/[^A-Za-z0-9_-]/g, '_') || 'db';
    return { engine: 'sqlite', database, host: '', port: 0, user: '', file: url.path, params: {} };
  }
  if (!DATABASE_NAME.test(url.database)) {
    throw new ConfigurationError(
      `input "${input}": expected a database name of letters, digits, "_" or "-" in the URL path, got ${JSON.stringify(url.database)}`,
    );
  }
  return {
    engine: url.engine,
    database: url.database,
    host: url.host,
    port: url.port,
    user: url.user || (url.engine === 'postgres' ? 'postgres' : 'root'),
    password: url.password || undefined,
    params: url.params,
  };
}
