import { isAbsolute, resolve } from 'node:path';
import { ConfigurationError } from '../../core/errors.js';

export type EngineName = 'postgres' | 'mysql' | 'sqlite';

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

const SCHEMES: Record<string, EngineName> = {
  postgres: 'postgres',
  postgresql: 'postgres',
  mysql: 'mysql',
  mariadb: 'mysql',
  sqlite: 'sqlite',
  sqlite3: 'sqlite',
};

/** A database name we create, rename and put in object keys: letters, digits, "_" and "-". */
export const DATABASE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_-]{0,62}$/;

/**
 * postgres://user:pass@host:5432/db?sslmode=require, mysql://user:pass@host:3306/db (mariadb:// too),
 * sqlite:///absolute/path.db or sqlite:relative/path.db (relative to the workspace).
 */
export function parseDatabaseUrl(value: string, workspace: string, input = 'database-url'): DatabaseTarget {
  const scheme = /^([a-z0-9]+):/i.exec(value)?.[1]?.toLowerCase();
  const engine = scheme ? SCHEMES[scheme] : undefined;
  if (!engine) throw new ConfigurationError(`input "${input}": expected postgres://, mysql://, mariadb:// or sqlite: URL, got scheme "${scheme ?? ''}"`);
  if (engine === 'sqlite') {
    const rest = value.slice(scheme!.length + 1).replace(/^\/\/(?=\/)/, '').replace(/^\/\/(?!\/)/, '');
    if (rest === '') throw new ConfigurationError(`input "${input}": expected sqlite:///absolute/path.db or sqlite:relative/path.db`);
    const file = isAbsolute(rest) ? rest : resolve(workspace, rest);
    const database = (file.split('/').pop() ?? 'db').replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9_-]/g, '_') || 'db';
    return { engine, database, host: '', port: 0, user: '', file, params: {} };
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigurationError(`input "${input}": not a valid URL`);
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!DATABASE_NAME.test(database)) {
    throw new ConfigurationError(`input "${input}": expected a database name of letters, digits, "_" or "-" in the URL path, got ${JSON.stringify(database)}`);
  }
  if (!url.hostname) throw new ConfigurationError(`input "${input}": expected a host in the URL`);
  const params: Record<string, string> = {};
  url.searchParams.forEach((v, k) => (params[k] = v));
  return {
    engine,
    database,
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : engine === 'postgres' ? 5432 : 3306,
    user: decodeURIComponent(url.username) || (engine === 'postgres' ? 'postgres' : 'root'),
    password: url.password ? decodeURIComponent(url.password) : undefined,
    params,
  };
}
