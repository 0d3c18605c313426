import { ConfigurationError } from '../core/errors.js';
import type { Forward, RemoteEndpoint, SourceSession } from '../ssh/forward.js';
import type { DatabaseEngine } from './url.js';

/** What a server database looks like to the tunnel: both URL models (src/db/url.ts, src/db/dump/url.ts) have it. */
export interface TunnelledServer {
  engine: DatabaseEngine;
  host: string;
  port: number;
  params: Record<string, string>;
}

/**
 * Where the database listens as seen from source-host: `127.0.0.1:5432`, or for PostgreSQL a Unix
 * socket directory (`?host=/var/run/postgresql`, socket `.s.PGSQL.<port>` in it, as libpq names it).
 */
export function remoteEndpoint(db: TunnelledServer): RemoteEndpoint {
  if (db.engine === 'sqlite')
    throw new ConfigurationError(
      'input "source-host": a SQLite database is a file, not a server to tunnel to; use dump-on: host to back it up (or restore it) on source-host',
    );
  if (db.host.startsWith('/')) {
    if (db.engine !== 'postgres')
      throw new ConfigurationError(
        'input "database-url": a socket path as host is only understood for PostgreSQL; give MySQL/MariaDB as 127.0.0.1:3306 (as seen from source-host)',
      );
    return { socket: `${db.host.replace(/\/+$/, '')}/.s.PGSQL.${db.port}` };
  }
  return { host: db.host, port: db.port };
}

/** The same database reached through the forward's local end on 127.0.0.1. */
export function throughForward<T extends TunnelledServer>(db: T, forward: Pick<Forward, 'port'>): T {
  const params = { ...db.params };
  delete params.host;
  return { ...db, host: '127.0.0.1', port: forward.port, params };
}

/** A database URL string pointed at the forward (for an app's own migration tool given DATABASE_URL). */
export function urlThroughForward(raw: string, forward: Pick<Forward, 'port'>): string {
  const url = new URL(raw);
  url.hostname = '127.0.0.1';
  url.port = String(forward.port);
  url.searchParams.delete('host');
  return url.toString();
}

/** Opens the local forward to the database on source-host and returns the database as reached through it. */
export async function tunnelTo<T extends TunnelledServer>(session: SourceSession, db: T): Promise<{ db: T; forward: Forward }> {
  const endpoint = remoteEndpoint(db);
  const forward = await session.forward(endpoint);
  return { db: throughForward(db, forward), forward };
}
