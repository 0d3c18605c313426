import { isAbsolute, resolve } from 'node:path';

import { ConfigurationError } from '../core/errors.js';
import { type Logger, maskSecret } from '../core/logger.js';

export type DatabaseEngine = 'postgres' | 'mysql' | 'sqlite';

/** A database URL split into what the engines need; `display` has the password replaced by ***. */
export interface DatabaseUrl {
  engine: DatabaseEngine;
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  /** Query parameters (sslmode, ssl, ...). */
  params: Record<string, string>;
  /** SQLite: the database file, absolute. */
  path?: string;
  /** The URL as given (secret). */
  raw: string;
  display: string;
}

const SCHEMES: Record<string, DatabaseEngine> = {
  postgres: 'postgres',
  postgresql: 'postgres',
  mysql: 'mysql',
  mariadb: 'mysql',
  sqlite: 'sqlite',
  sqlite3: 'sqlite',
};

const DEFAULT_PORTS: Record<DatabaseEngine, number> = { postgres: 5432, mysql: 3306, sqlite: 0 };

const EXPECTED = 'postgres://user:password@host:5432/db, mysql://..., mariadb://..., sqlite:///abs/path.db or sqlite:relative/path.db';

/** Whether `raw` is a SQLite URL with a relative path (`sqlite:data/app.db`), resolved against a local directory. */
export function isRelativeSqliteUrl(raw: string): boolean {
  const match = /^(?:sqlite3?):(.*)$/i.exec(raw);
  return match !== null && !decodeURIComponent(match[1]!.split('?')[0]!).startsWith('/');
}

/**
 * Parses postgres://, postgresql://, mysql://, mariadb://, sqlite:///abs/path and sqlite:relative/path.
 * `base` resolves a relative SQLite path. Errors name `input` and never repeat the URL (it is secret).
 */
export function parseDatabaseUrl(raw: string, base: string, input = 'database-url'): DatabaseUrl {
  const bad = (why: string) => new ConfigurationError(`input "${input}": ${why}; expected ${EXPECTED}`);
  const scheme = /^([a-z0-9]+):/i.exec(raw)?.[1]?.toLowerCase();
  const engine = scheme ? SCHEMES[scheme] : undefined;
  if (!scheme || !engine) throw bad(scheme ? `unknown scheme "${scheme}:"` : 'no scheme such as postgres://');
  if (engine === 'sqlite') {
    const rest = raw.slice(scheme.length + 1).split('?')[0]!;
    let file: string;
    if (rest.startsWith('//')) {
      if (!rest.startsWith('///')) throw bad('a SQLite URL names a file, not a host (use three slashes for an absolute path)');
      file = decodeURIComponent(rest.slice(2));
    } else {
      file = decodeURIComponent(rest);
    }
    if (file === '' || file === '/') throw bad('no SQLite database file');
    const path = isAbsolute(file) ? file : resolve(base, file);
    return { engine, host: '', port: 0, user: '', password: '', database: path, params: {}, path, raw, display: `sqlite://${path}` };
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw bad('not a valid URL');
  }
  const params = Object.fromEntries(url.searchParams.entries());
  // postgres:///db?host=/run/postgresql names a Unix socket directory instead of a host.
  if (!url.hostname && !params.host) throw bad('no host');
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!database || database.includes('/')) throw bad('no database name after the host');
  const port = url.port ? Number(url.port) : DEFAULT_PORTS[engine];
  const password = decodeURIComponent(url.password);
  const user = decodeURIComponent(url.username);
  const display = `${scheme}://${user ? `${encodeURIComponent(user)}${password ? ':***' : ''}@` : ''}${url.host}/${encodeURIComponent(database)}`;
  // As libpq reads it, ?host=/dir (a socket directory) overrides the URL's host.
  const host = params.host?.startsWith('/') ? params.host : url.hostname.replace(/^\[|\]$/g, '') || params.host!;
  return { engine, host, port, user, password, database, params, raw, display };
}

/** Masks a database URL and its password (as written and percent-decoded); works on any scheme. */
export function maskDatabaseUrl(logger: Logger, raw: string): void {
  maskSecret(logger, raw);
  // Up to the last "@" of the authority, as URL parsers read it: a password may hold an unencoded "@".
  const encoded = /^[^:]+:\/\/[^:/@]*:([^/?#]*)@/.exec(raw.trim())?.[1];
  if (!encoded) return;
  maskSecret(logger, encoded);
  try {
    maskSecret(logger, decodeURIComponent(encoded));
  } catch {
    // not valid percent-encoding: the raw form is masked already
  }
}
