import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import type { Client } from 'pg';

import type { RunContext } from '../../core/action.js';
import { ConfigurationError, OperationalError } from '../../core/errors.js';
import { runChecked } from '../../core/exec.js';
import { dumpOf, spawnStreaming } from '../../core/stream-process.js';
import { pgClientConfig } from '../connect.js';
import type { DumpEngine } from './engine.js';
import { inOrder } from './together.js';
import type { DatabaseTarget } from './url.js';

/** libpq settings from the URL; the password goes in PGPASSWORD, never argv. */
export function pgEnv(db: DatabaseTarget): Record<string, string> {
  const env: Record<string, string> = {};
  if (db.password !== undefined) env.PGPASSWORD = db.password;
  if (db.params.sslmode) env.PGSSLMODE = db.params.sslmode;
  return env;
}

function connectionArgs(db: DatabaseTarget, database: string): string[] {
  return ['--no-password', '-h', db.host, '-p', String(db.port), '-U', db.user, '-d', database];
}

export function pgDumpArgv(db: DatabaseTarget): string[] {
  // -Z 0: the stream is compressed once, by zstd/gzip after the dump.
  return ['pg_dump', '-Fc', '-Z', '0', ...connectionArgs(db, db.database)];
}

export function pgRestoreArgv(db: DatabaseTarget, name: string, clean: boolean, noPrivileges = false): string[] {
  const args = ['pg_restore', '--no-owner', '--exit-on-error', '--single-transaction', ...connectionArgs(db, name)];
  if (clean) args.push('--clean', '--if-exists');
  if (noPrivileges) args.push('--no-privileges');
  return args;
}

/** Server 150004 → 15; 90624 → 9 (versions before 10 had two-part majors, irrelevant here). */
export function majorOfServerVersionNum(num: string): number {
  return Math.floor(Number(num) / 10000);
}

export function majorOfClientVersion(output: string): number | undefined {
  const match = /\(PostgreSQL\)\s+(\d+)/.exec(output);
  return match ? Number(match[1]) : undefined;
}

/** The driver is loaded by the first run that connects (a backup's start-up does not pay for it). */
async function clientFor(db: DatabaseTarget, database: string): Promise<Client> {
  const { default: pg } = await import('pg');
  return new pg.Client(pgClientConfig(db, database));
}

const missingDatabase = (error: unknown) => (error as { code?: string }).code === '3D000';

async function withClient<T>(db: DatabaseTarget, database: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = await clientFor(db, database);
  try {
    await client.connect();
  } catch (error) {
    throw new OperationalError(`cannot connect to PostgreSQL at ${db.host}:${db.port}/${database}: ${(error as Error).message}`);
  }
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** `pg_dump --version` and `pg_restore --version` on the runner, run side by side once per executor (each is a wrapper script on Debian). */
const clientVersions = new WeakMap<object, Promise<Record<string, string>>>();
function postgresClientVersions(ctx: RunContext): Promise<Record<string, string>> {
  let versions = clientVersions.get(ctx.exec);
  if (!versions) {
    const version = (tool: string) => runChecked(ctx.exec, `${tool} --version`, [tool, '--version']).then((r) => r.stdout.trim());
    versions = inOrder([version('pg_dump'), version('pg_restore')]).then(([pg_dump, pg_restore]) => ({ pg_dump, pg_restore }));
    versions.catch(() => undefined);
    clientVersions.set(ctx.exec, versions);
  }
  return versions;
}

/** The server's version number over one connection: to the database itself, or to the admin database when it does not exist yet. */
async function serverVersionNum(db: DatabaseTarget): Promise<string> {
  const query = async (client: Client) => String((await client.query('SHOW server_version_num')).rows[0].server_version_num);
  const client = await clientFor(db, db.database);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    if (!missingDatabase(error))
      throw new OperationalError(`cannot connect to PostgreSQL at ${db.host}:${db.port}/${db.database}: ${(error as Error).message}`);
    return withClient(db, adminDatabase(db, db.database), query);
  }
  try {
    return await query(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Where to create, drop or rename `name`: the app's database, unless `name` is that database (then `postgres`). */
function adminDatabase(db: DatabaseTarget, name: string): string {
  if (name !== db.database) return db.database;
  return db.database === 'postgres' ? 'template1' : 'postgres';
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

export const postgresEngine: DumpEngine = {
  name: 'postgres',
  extension: 'pgdump',
  atomicRestore: true, // pg_restore --single-transaction
  async checkTools(db, ctx) {
    // All at once: the two --version probes (memoized, a caller may have started them) and one connection for the server version.
    const [{ pg_dump: dumpVersion, pg_restore: restoreVersion }, serverNum] = await inOrder([
      postgresClientVersions(ctx),
      serverVersionNum(db),
    ]);
    const client = majorOfClientVersion(dumpVersion!);
    const server = majorOfServerVersionNum(serverNum);
    if (client === undefined || client < server) {
      throw new ConfigurationError(
        `pg_dump is version ${client ?? 'unknown'} but the server is PostgreSQL ${server}: pg_dump refuses to dump a newer server. ` +
          `Install postgresql-client-${server} on the runner (apt.postgresql.org: sudo apt-get install -y postgresql-client-${server}) and put /usr/lib/postgresql/${server}/bin first on PATH.`,
      );
    }
    return { pg_dump: dumpVersion!, pg_restore: restoreVersion!, server: serverNum };
  },
  clientTools: postgresClientVersions,
  async dump(db, ctx) {
    return dumpOf(await postgresEngine.dumpCommand!(db, ctx));
  },
  async dumpCommand(db) {
    return { what: 'pg_dump', argv: pgDumpArgv(db), env: pgEnv(db) };
  },
  async restore(db, name, input: Readable, { clean, noPrivileges }) {
    const proc = spawnStreaming('pg_restore', pgRestoreArgv(db, name, clean, noPrivileges), pgEnv(db));
    await Promise.all([pipeline(input, proc.stdin), proc.done]);
  },
  async exists(db, name) {
    const client = await clientFor(db, name);
    try {
      await client.connect();
      return true;
    } catch (error) {
      if (missingDatabase(error)) return false;
      throw new OperationalError(`cannot connect to PostgreSQL at ${db.host}:${db.port}/${name}: ${(error as Error).message}`);
    } finally {
      await client.end().catch(() => undefined);
    }
  },
  async createDatabase(db, name) {
    await withClient(db, adminDatabase(db, name), (c) => c.query(`CREATE DATABASE ${ident(name)}`));
  },
  async dropDatabase(db, name) {
    await withClient(db, adminDatabase(db, name), (c) => c.query(`DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`));
  },
  async query(db, name, sql) {
    return withClient(db, name, async (c) => {
      const result = await c.query({ text: sql, rowMode: 'array' });
      const row = (result.rows as unknown[][])[0];
      return row ? String(row[0]) : '';
    });
  },
  async swap(db, from, keepAs) {
    // Renaming needs a connection to another database and no session on either of the two.
    await withClient(db, adminDatabase(db, db.database), async (c) => {
      const terminate = `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ANY($1) AND pid <> pg_backend_pid()`;
      await c.query(`ALTER DATABASE ${ident(db.database)} WITH ALLOW_CONNECTIONS false`);
      try {
        await c.query(terminate, [[db.database, from]]);
        await c.query('BEGIN');
        await c.query(`ALTER DATABASE ${ident(db.database)} RENAME TO ${ident(keepAs)}`);
        await c.query(`ALTER DATABASE ${ident(from)} RENAME TO ${ident(db.database)}`);
        await c.query('COMMIT');
      } catch (error) {
        await c.query('ROLLBACK').catch(() => undefined);
        await c.query(`ALTER DATABASE ${ident(db.database)} WITH ALLOW_CONNECTIONS true`).catch(() => undefined);
        throw error;
      }
      await c.query(`ALTER DATABASE ${ident(keepAs)} WITH ALLOW_CONNECTIONS true`);
    });
  },
};
