import { CommandError, tail } from '../../core/errors.js';
import type { DumpEngine } from '../../db/dump/engine.js';
import { mysqlEnv } from '../../db/dump/mysql.js';
import { pgEnv } from '../../db/dump/postgres.js';
import type { DatabaseTarget } from '../../db/dump/url.js';
import type { Place } from './place.js';

type Control = Pick<DumpEngine, 'exists' | 'createDatabase' | 'dropDatabase' | 'query' | 'swap'>;

/** Runs a client at `place` with its secrets and returns stdout; fails with the client's last lines. */
async function collect(place: Place, what: string, argv: string[], env: Record<string, string>): Promise<string> {
  const proc = place.spawn(what, argv, env);
  proc.stdin.end();
  const chunks: Buffer[] = [];
  proc.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  await proc.done.catch((error: unknown) => {
    if (error instanceof CommandError)
      throw new CommandError(`${what} on ${place.label}`, error.exitCode, tail(error.outputTail), error.hint);
    throw error;
  });
  return Buffer.concat(chunks).toString('utf8');
}

const pgIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
const literal = (value: string) => `'${value.replace(/'/g, "''")}'`;

/**
 * The control queries of a restore (exists, create, drop, rename, the verify query) through the
 * database's own CLI at `place` (`psql`, `mariadb`), for a database only reachable there: inside a
 * container, where no forward from the runner reaches it.
 */
export function cliControl(engine: DumpEngine, place: Place, placed: DatabaseTarget): Partial<Control> {
  if (engine.name === 'sqlite') return {}; // a file: restore refuses it at a place other than the runner
  if (engine.name === 'mysql') {
    const sql = async (database: string | undefined, statement: string) =>
      collect(
        place,
        'mariadb',
        [
          'mariadb',
          '--protocol=TCP',
          '-h',
          placed.host,
          '-P',
          String(placed.port),
          '-u',
          placed.user,
          '-N',
          '-B',
          '-e',
          statement,
          ...(database ? [database] : []),
        ],
        mysqlEnv(placed),
      );
    const ident = (name: string) => `\`${name.replace(/`/g, '``')}\``;
    return {
      exists: async (_db, name) =>
        (await sql(undefined, `SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ${literal(name)}`)).trim() === name,
      createDatabase: async (_db, name) => void (await sql(undefined, `CREATE DATABASE ${ident(name)}`)),
      dropDatabase: async (_db, name) => void (await sql(undefined, `DROP DATABASE IF EXISTS ${ident(name)}`)),
      query: async (_db, name, statement) => (await sql(name, statement)).split('\n')[0]?.split('\t')[0] ?? '',
    };
  }
  const admin = (name: string) => (name !== placed.database ? placed.database : placed.database === 'postgres' ? 'template1' : 'postgres');
  const psql = async (database: string, statement: string) =>
    collect(
      place,
      'psql',
      [
        'psql',
        '-X',
        '-q',
        '-A',
        '-t',
        '-v',
        'ON_ERROR_STOP=1',
        '--no-password',
        '-h',
        placed.host,
        '-p',
        String(placed.port),
        '-U',
        placed.user,
        '-d',
        database,
        '-c',
        statement,
      ],
      pgEnv(placed),
    );
  return {
    exists: async (_db, name) => (await psql(admin(name), `SELECT 1 FROM pg_database WHERE datname = ${literal(name)}`)).trim() === '1',
    createDatabase: async (_db, name) => void (await psql(admin(name), `CREATE DATABASE ${pgIdent(name)}`)),
    dropDatabase: async (_db, name) => void (await psql(admin(name), `DROP DATABASE IF EXISTS ${pgIdent(name)} WITH (FORCE)`)),
    query: async (_db, name, statement) => (await psql(name, statement)).split('\n')[0]?.split('|')[0] ?? '',
    async swap(_db, from, keepAs) {
      const current = pgIdent(placed.database);
      // One psql session: stop new connections, end the open ones, rename both in one transaction.
      await psql(
        admin(placed.database),
        `ALTER DATABASE ${current} WITH ALLOW_CONNECTIONS false;
         SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname IN (${literal(placed.database)}, ${literal(from)}) AND pid <> pg_backend_pid();
         BEGIN;
         ALTER DATABASE ${current} RENAME TO ${pgIdent(keepAs)};
         ALTER DATABASE ${pgIdent(from)} RENAME TO ${current};
         COMMIT;
         ALTER DATABASE ${pgIdent(keepAs)} WITH ALLOW_CONNECTIONS true;`,
      );
    },
  };
}
