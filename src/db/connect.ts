import type { ConnectionOptions } from 'mysql2/promise';
import type { ClientConfig } from 'pg';

/** What both database URL models (src/db/url.ts, src/db/dump/url.ts) hold for a server connection. */
export interface ServerConnection {
  /** A host name, or (PostgreSQL, `?host=`) a Unix socket directory. */
  host: string;
  port: number;
  user: string;
  password?: string;
  /** Query parameters of the URL (sslmode, ssl, ssl-mode). */
  params: Record<string, string>;
}

/**
 * node-postgres settings for `database`, TLS as libpq (pg_dump, psql) reads sslmode: disable → none;
 * require, prefer, allow and verify-ca → TLS without certificate verification; verify-full → verified.
 */
export function pgClientConfig(db: ServerConnection, database: string): ClientConfig {
  const mode = db.params.sslmode;
  const ssl = !mode ? undefined : mode === 'disable' ? false : { rejectUnauthorized: mode === 'verify-full' };
  return { host: db.host, port: db.port, user: db.user, password: db.password, database, ssl };
}

/** mysql2 settings for `database` (none: the server only); `?ssl=true` or sslmode/ssl-mode require, verify-ca, verify-full or REQUIRED turn TLS on. */
export function mysqlConnectionOptions(db: ServerConnection, database: string | undefined): ConnectionOptions {
  const ssl =
    db.params.ssl === 'true' ||
    ['require', 'verify-ca', 'verify-full', 'REQUIRED'].includes(db.params.sslmode ?? db.params['ssl-mode'] ?? '');
  return { host: db.host, port: db.port, user: db.user, password: db.password, database, ...(ssl ? { ssl: {} } : {}) };
}
