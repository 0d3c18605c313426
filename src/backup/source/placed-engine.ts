import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { ConfigurationError, OperationalError } from '../../core/errors.js';
import { dumpOf } from '../../core/stream-process.js';
import type { DumpEngine } from '../../db/dump/engine.js';
import { mysqlClientArgv, mysqlDumpArgv, mysqlEnv } from '../../db/dump/mysql.js';
import { majorOfClientVersion, majorOfServerVersionNum, pgDumpArgv, pgEnv, pgRestoreArgv } from '../../db/dump/postgres.js';
import { inOrder } from '../../db/dump/together.js';
import type { DatabaseTarget } from '../../db/dump/url.js';
import type { Place } from './place.js';

const INSTALL: Record<string, string> = {
  pg_dump: 'postgresql-client (apt-get install -y postgresql-client, the major of the server or newer)',
  pg_restore: 'postgresql-client',
  'mariadb-dump': 'mariadb-client (or mysql-client for mysqldump)',
  mariadb: 'mariadb-client (or mysql-client)',
  sqlite3: 'sqlite3 (apt-get install -y sqlite3)',
};

/** The first of `names` that answers --version at `place`, or an error naming the package to install there. */
async function pickTool(place: Place, names: readonly string[]): Promise<{ tool: string; version: string }> {
  for (const tool of names) {
    const result = await place.run([tool, '--version']);
    if (result.exitCode === 0) return { tool, version: result.stdout.trim().split('\n')[0]! };
  }
  throw new OperationalError(
    `none of ${names.join(', ')} is installed on ${place.label}`,
    `Install ${INSTALL[names[0]!] ?? names[0]} there, or use dump-on: runner to run the tools on the runner through the tunnel.`,
  );
}

/** The dump tool's argv and secrets for `db` as seen from the place where it runs. */
async function dumpCommand(engine: DumpEngine, place: Place, db: DatabaseTarget): Promise<{ argv: string[]; env: Record<string, string> }> {
  if (engine.name === 'postgres') return { argv: pgDumpArgv(db), env: pgEnv(db) };
  if (engine.name === 'mysql')
    return { argv: mysqlDumpArgv((await pickTool(place, ['mariadb-dump', 'mysqldump'])).tool, db), env: mysqlEnv(db) };
  // .backup needs a seekable file: a private temp file there, streamed and removed.
  const script = 't=$(mktemp) && trap \'rm -f "$t"\' EXIT && sqlite3 -bail "$1" ".backup \'$t\'" && cat "$t"';
  return { argv: ['sh', '-c', script, 'sh', db.file!], env: {} };
}

/**
 * An engine whose dump and restore tools run at `place` (source-host, or a container) against
 * `placed` (the database as seen from there), while the small control queries (exists, create,
 * drop, swap, verify query) go to `db` as the runner reaches it (through the tunnel).
 */
export function placedEngine(engine: DumpEngine, place: Place, placed: DatabaseTarget, control: Partial<DumpEngine> = {}): DumpEngine {
  const at = (db: DatabaseTarget): DatabaseTarget => ({ ...placed, database: db.database });
  const self: DumpEngine = {
    ...engine,
    ...control,
    // The dump runs at `place`; its local end (ssh, docker exec) is what the backup wires into zstd.
    async dumpCommand(db) {
      const { argv, env } = await dumpCommand(engine, place, at(db));
      return place.command(argv[0] === 'sh' ? 'sqlite3 .backup' : argv[0]!, argv, env);
    },
    // The runner's tool versions say nothing about the tools at `place`.
    clientTools: undefined,
    async checkTools(db, ctx): Promise<Record<string, string>> {
      if (engine.name === 'sqlite') return { sqlite3: (await pickTool(place, ['sqlite3'])).version, where: place.label };
      // The probes at `place` and the server's version side by side (each is a round trip); a missing tool is still reported first.
      if (engine.name === 'mysql') {
        const [dump, client, server] = await inOrder([
          pickTool(place, ['mariadb-dump', 'mysqldump']),
          pickTool(place, ['mariadb', 'mysql']),
          self.query(db, db.database, 'SELECT VERSION()', ctx),
        ]);
        return { dump: dump.version, client: client.version, server, where: place.label };
      }
      const [dump, restore, serverNum] = await inOrder([
        pickTool(place, ['pg_dump']),
        pickTool(place, ['pg_restore']),
        self.query(db, db.database, 'SHOW server_version_num', ctx),
      ]);
      const client = majorOfClientVersion(dump.version);
      const server = majorOfServerVersionNum(serverNum);
      if (client === undefined || client < server)
        throw new ConfigurationError(
          `pg_dump on ${place.label} is version ${client ?? 'unknown'} but the server is PostgreSQL ${server}: pg_dump refuses to dump a newer server. Install postgresql-client-${server} there, or use dump-on: runner.`,
        );
      return { pg_dump: dump.version, pg_restore: restore.version, server: serverNum, where: place.label };
    },
    async dump(db, ctx) {
      return dumpOf(await self.dumpCommand!(db, ctx));
    },
    async restore(db, name, input: Readable, options, ctx) {
      if (control.restore) return control.restore(db, name, input, options, ctx);
      if (engine.name === 'sqlite')
        throw new ConfigurationError(
          `input "container": restoring SQLite in ${place.label} is not supported; use dump-on: host on source-host, or run the restore on that machine`,
        );
      const argv =
        engine.name === 'postgres'
          ? pgRestoreArgv(at(db), name, options.clean)
          : mysqlClientArgv((await pickTool(place, ['mariadb', 'mysql'])).tool, at(db), name);
      const proc = place.spawn(argv[0]!, argv, engine.name === 'postgres' ? pgEnv(at(db)) : mysqlEnv(at(db)));
      await Promise.all([pipeline(input, proc.stdin), proc.done]);
    },
  };
  return self;
}
