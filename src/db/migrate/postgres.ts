import { createHash } from 'node:crypto';

import pg from 'pg';

import { errorMessage, OperationalError } from '../../core/errors.js';
import { pgClientConfig } from '../connect.js';
import type { DatabaseUrl } from '../url.js';
import { HISTORY_TABLE } from './engine.js';
import { type Dialect, SessionEngine } from './session.js';

/** One advisory lock key for every deploy-kit migration run (advisory locks are per database). */
export const ADVISORY_LOCK_KEY = createHash('sha256').update('deploy-kit migrate').digest().readBigInt64BE(0).toString();

interface PgError {
  message: string;
  code?: string;
  detail?: string;
  hint?: string;
  position?: string;
}

const postgresDialect: Dialect = {
  split: 'postgres',
  param: (i) => `$${i}`,
  createHistory: `CREATE TABLE IF NOT EXISTS ${HISTORY_TABLE} (
  version varchar(64) PRIMARY KEY,
  name varchar(255) NOT NULL,
  checksum char(64) NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)`,
  historyExists: `SELECT to_regclass('${HISTORY_TABLE}') IS NOT NULL AS present`,
  tryLock: 'SELECT pg_try_advisory_lock($1::bigint) AS locked',
  unlock: 'SELECT pg_advisory_unlock($1::bigint) AS unlocked',
  lockParams: [ADVISORY_LOCK_KEY],
  now: 'now()',
  transactionalDdl: true,
  describe(error) {
    const e = error as PgError;
    return [`${e.message}${e.code ? ` (SQLSTATE ${e.code})` : ''}`, e.detail && `DETAIL: ${e.detail}`, e.hint && `HINT: ${e.hint}`]
      .filter(Boolean)
      .join('\n');
  },
  position(error) {
    const position = Number((error as PgError).position);
    return Number.isInteger(position) && position > 0 ? position : undefined;
  },
};

export async function connectPostgres(url: DatabaseUrl): Promise<SessionEngine> {
  const client = new pg.Client({
    ...pgClientConfig(url, url.database),
    connectionTimeoutMillis: 30_000,
    application_name: 'deploy-kit migrate',
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw new OperationalError(
      `could not connect to ${url.display}: ${errorMessage(error)}`,
      'check database-url and that the database accepts connections from this runner',
    );
  }
  return new SessionEngine(
    url.display,
    { query: async (sql, params) => (await client.query(sql, params as unknown[] | undefined)).rows, close: () => client.end() },
    postgresDialect,
  );
}
