import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import type { Connection } from 'mysql2/promise';

import type { RunContext } from '../../core/action.js';
import { OperationalError } from '../../core/errors.js';
import { dumpOf, spawnStreaming } from '../../core/stream-process.js';
import { mysqlConnectionOptions } from '../connect.js';
import type { DumpEngine } from './engine.js';
import { inOrder } from './together.js';
import type { DatabaseTarget } from './url.js';

/** The password goes in MYSQL_PWD, never argv. */
export function mysqlEnv(db: DatabaseTarget): Record<string, string> {
  return db.password !== undefined ? { MYSQL_PWD: db.password } : {};
}

function connectionArgs(db: DatabaseTarget): string[] {
  return ['--protocol=TCP', '-h', db.host, '-P', String(db.port), '-u', db.user];
}

export function mysqlDumpArgv(tool: string, db: DatabaseTarget): string[] {
  return [tool, '--single-transaction', '--routines', '--triggers', '--hex-blob', '--no-tablespaces', ...connectionArgs(db), db.database];
}

export function mysqlClientArgv(tool: string, db: DatabaseTarget, name: string): string[] {
  return [tool, ...connectionArgs(db), name];
}

/** MariaDB ships mariadb-dump/mariadb; MySQL mysqldump/mysql. The first that runs wins. */
async function pickTool(ctx: RunContext, names: readonly string[]): Promise<{ tool: string; version: string }> {
  for (const tool of names) {
    const result = await ctx.exec.run([tool, '--version']).catch(() => undefined);
    if (result && result.exitCode === 0) return { tool, version: result.stdout.trim() };
  }
  throw new OperationalError(
    `none of ${names.join(', ')} is installed on the runner`,
    'Install the MariaDB or MySQL client (apt-get install -y mariadb-client).',
  );
}

async function withConnection<T>(db: DatabaseTarget, database: string | undefined, fn: (c: Connection) => Promise<T>): Promise<T> {
  let connection: Connection;
  try {
    // The driver is loaded by the first run that connects (a backup's start-up does not pay for it).
    const { default: mysql } = await import('mysql2/promise');
    connection = await mysql.createConnection({ ...mysqlConnectionOptions(db, database), multipleStatements: false });
  } catch (error) {
    throw new OperationalError(`cannot connect to MySQL at ${db.host}:${db.port}: ${(error as Error).message}`);
  }
  try {
    return await fn(connection);
  } finally {
    await connection.end().catch(() => undefined);
  }
}

const ident = (name: string) => `\`${name.replace(/`/g, '``')}\``;

export const mysqlEngine: DumpEngine = {
  name: 'mysql',
  extension: 'sql',
  atomicRestore: false, // the dump is applied statement by statement
  async checkTools(db, ctx) {
    // Side by side: the two tool probes and the server's version.
    const [dump, client, server] = await inOrder([
      pickTool(ctx, ['mariadb-dump', 'mysqldump']),
      pickTool(ctx, ['mariadb', 'mysql']),
      withConnection(db, undefined, async (c) => {
        const [rows] = await c.query('SELECT VERSION() AS v');
        return String((rows as { v: string }[])[0]!.v);
      }),
    ]);
    return { dump: dump.version, client: client.version, server };
  },
  async dump(db, ctx) {
    return dumpOf(await mysqlEngine.dumpCommand!(db, ctx));
  },
  async dumpCommand(db, ctx) {
    const { tool } = await pickTool(ctx, ['mariadb-dump', 'mysqldump']);
    return { what: tool, argv: mysqlDumpArgv(tool, db), env: mysqlEnv(db) };
  },
  async restore(db, name, input: Readable, _options, ctx) {
    // The dump drops and recreates each table it holds; `clean` needs nothing more here.
    const { tool } = await pickTool(ctx, ['mariadb', 'mysql']);
    const proc = spawnStreaming(tool, mysqlClientArgv(tool, db, name), mysqlEnv(db));
    await Promise.all([pipeline(input, proc.stdin), proc.done]);
  },
  async exists(db, name) {
    return withConnection(db, undefined, async (c) => {
      const [rows] = await c.query('SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [name]);
      return (rows as unknown[]).length === 1;
    });
  },
  async createDatabase(db, name) {
    await withConnection(db, undefined, (c) => c.query(`CREATE DATABASE ${ident(name)}`));
  },
  async dropDatabase(db, name) {
    await withConnection(db, undefined, (c) => c.query(`DROP DATABASE IF EXISTS ${ident(name)}`));
  },
  async query(db, name, sql) {
    return withConnection(db, name, async (c) => {
      const [rows] = await c.query({ sql, rowsAsArray: true });
      const row = Array.isArray(rows) ? (rows[0] as unknown[] | undefined) : undefined;
      return row ? String(row[0]) : '';
    });
  },
};
