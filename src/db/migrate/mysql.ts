import mysql from 'mysql2/promise';

import { errorMessage, OperationalError } from '../../core/errors.js';
import { mysqlConnectionOptions } from '../connect.js';
import type { DatabaseUrl } from '../url.js';
import { HISTORY_TABLE } from './engine.js';
import { type Dialect, SessionEngine } from './session.js';

interface MysqlError {
  message: string;
  code?: string;
  errno?: number;
  sqlState?: string;
}

/** GET_LOCK names are server-wide, so the lock name carries the database (at most 64 characters). */
export function mysqlLockName(database: string): string {
  return `deploy-kit-migrate:${database}`.slice(0, 64);
}

function mysqlDialect(database: string): Dialect {
  return {
    split: 'mysql',
    param: () => '?',
    createHistory: `CREATE TABLE IF NOT EXISTS ${HISTORY_TABLE} (
  version varchar(64) NOT NULL PRIMARY KEY,
  name varchar(255) NOT NULL,
  checksum char(64) NOT NULL,
  applied_at datetime(6) NOT NULL
)`,
    historyExists: `SELECT COUNT(*) AS present FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = '${HISTORY_TABLE}'`,
    tryLock: 'SELECT GET_LOCK(?, 0) AS locked',
    unlock: 'SELECT RELEASE_LOCK(?) AS unlocked',
    lockParams: [mysqlLockName(database)],
    now: 'UTC_TIMESTAMP(6)',
    transactionalDdl: false,
    describe(error) {
      const e = error as MysqlError;
      const codes = [e.code, e.errno, e.sqlState && `SQLSTATE ${e.sqlState}`].filter(Boolean).join(', ');
      return `${e.message}${codes ? ` (${codes})` : ''}`;
    },
    position: () => undefined,
  };
}

/** MySQL and MariaDB through mysql2; TLS as mysqlConnectionOptions reads the URL (`?ssl=true`, sslmode=require, ...). */
export async function connectMysql(url: DatabaseUrl): Promise<SessionEngine> {
  let connection: mysql.Connection;
  try {
    connection = await mysql.createConnection({
      ...mysqlConnectionOptions(url, url.database),
      dateStrings: true,
      multipleStatements: false,
      connectTimeout: 30_000,
    });
  } catch (error) {
    throw new OperationalError(
      `could not connect to ${url.display}: ${errorMessage(error)}`,
      'check database-url and that the database accepts connections from this runner',
    );
  }
  connection.on('error', () => undefined);
  return new SessionEngine(
    url.display,
    {
      async query(sql, params) {
        const [rows] = await connection.query(sql, params as unknown[] | undefined);
        return Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [];
      },
      close: () => connection.end(),
    },
    mysqlDialect(url.database),
  );
}
