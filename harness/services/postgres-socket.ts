import { chmodSync, chownSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { retry, startCluster } from './postgres.js';

export interface SocketPostgres {
  /** The socket directory (0700, owned by the owner). */
  socketDir: string;
  /** The port number that names the socket (.s.PGSQL.<port>); nothing listens on TCP. */
  port: number;
  password: string;
  /** postgres://postgres:pw@localhost:PORT/db?host=<socketDir>: as seen from the machine itself. */
  url(database?: string): string;
  /** psql as the owner through the socket. */
  psql(sql: string, database?: string): string;
  stop(): Promise<void>;
}

const PASSWORD = 'sock-pg-secret';

/**
 * A PostgreSQL that listens on a Unix socket only (listen_addresses = ''), run as `owner` with the
 * socket in a 0700 directory of that user: only that account (the SSH user) can connect.
 */
export async function startSocketPostgres(owner: string): Promise<SocketPostgres> {
  let socketDir = '';
  const psqlArgs = (port: number, sql: string, database: string) => [
    '-X',
    '-q',
    '-A',
    '-t',
    '-v',
    'ON_ERROR_STOP=1',
    '-h',
    socketDir,
    '-p',
    String(port),
    '-U',
    'postgres',
    '-d',
    database,
    '-c',
    sql,
  ];
  const cluster = await startCluster({
    owner,
    password: PASSWORD,
    initArgs: ['-A', 'scram-sha-256'],
    serverArgs: (dir) => {
      socketDir = join(dir, 'run');
      mkdirSync(socketDir);
      const { uid, gid } = statSync(dir);
      chownSync(socketDir, uid, gid);
      chmodSync(socketDir, 0o700);
      return ['-k', socketDir, '-c', 'listen_addresses=', '-c', 'fsync=off'];
    },
    ready: ({ bin, port, asOwner }) =>
      retry(() => asOwner([join(bin, 'psql'), ...psqlArgs(port, 'SELECT 1', 'postgres')], { PGPASSWORD: PASSWORD }), 150, 200),
  });
  return {
    socketDir,
    port: cluster.port,
    password: PASSWORD,
    url: (database = 'postgres') => `postgres://postgres:${PASSWORD}@localhost:${cluster.port}/${database}?host=${socketDir}`,
    psql: (sql, database = 'postgres') =>
      cluster.asOwner([join(cluster.bin, 'psql'), ...psqlArgs(cluster.port, sql, database)], { PGPASSWORD: PASSWORD }),
    stop: cluster.stop,
  };
}
