import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';

import mysql from 'mysql2/promise';
import pgModule from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type MariaDbServer, startMariaDb } from '../../harness/services/mariadb.js';
import { type PostgresServer, startPostgres } from '../../harness/services/postgres.js';
import { printed, runBundle } from '../../harness/services/runner.js';
import { mysqlLockName } from '../../src/db/migrate/mysql.js';
import { ADVISORY_LOCK_KEY } from '../../src/db/migrate/postgres.js';

const PgClient = pgModule.Client;
let pg: PostgresServer;
let maria: MariaDbServer;
let counter = 0;

beforeAll(async () => {
  [pg, maria] = await Promise.all([startPostgres(), startMariaDb()]);
});

afterAll(async () => {
  await Promise.all([pg?.stop(), maria?.stop()]);
});

/** A fresh database per test and the queries the assertions need. */
interface Database {
  url: string;
  tables(): string[];
  /** "version name" per history row, by version. */
  history(): string[];
  /** Takes the migration lock the way another run would; resolves to its release. */
  holdLock(): Promise<() => Promise<void>>;
}

interface Engine {
  name: string;
  create(): Database;
  /** A statement that takes a moment, so concurrent runs overlap. */
  slow: string;
  /** A failed file's earlier statements are undone (transactional DDL). */
  transactionalDdl: boolean;
  /** How the database words "table missing_table does not exist". */
  missing: RegExp;
}

const rows = (out: string) =>
  out
    .split('\n')
    .map((l) => l.trim().replace(/\t|\|/g, ' '))
    .filter((l) => l !== '');
const HISTORY = 'SELECT version, name FROM deploy_kit_migrations ORDER BY version';

const engines: Engine[] = [
  {
    name: 'postgres',
    create() {
      const db = `m${process.pid}_${(counter += 1)}`;
      pg.psql(`CREATE DATABASE ${db}`);
      return {
        url: pg.url(db),
        tables: () => rows(pg.psql("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1", db)),
        history: () => (pg.psql("SELECT to_regclass('deploy_kit_migrations')", db).trim() !== '' ? rows(pg.psql(HISTORY, db)) : []),
        async holdLock() {
          const client = new PgClient({ connectionString: pg.url(db) });
          await client.connect();
          await client.query('SELECT pg_advisory_lock($1::bigint)', [ADVISORY_LOCK_KEY]);
          return () => client.end();
        },
      };
    },
    slow: 'SELECT pg_sleep(0.5);',
    transactionalDdl: true,
    missing: /relation "missing_table" does not exist \(SQLSTATE 42P01\)/,
  },
  {
    name: 'mariadb',
    create() {
      const db = `m${process.pid}_${(counter += 1)}`;
      maria.sql(`CREATE DATABASE ${db}`);
      const tables = () => rows(maria.sql('SHOW TABLES', db)).sort();
      return {
        url: maria.url(db).replace(/^mysql:/, counter % 2 === 0 ? 'mariadb:' : 'mysql:'),
        tables,
        history: () => (tables().includes('deploy_kit_migrations') ? rows(maria.sql(HISTORY, db)) : []),
        async holdLock() {
          const connection = await mysql.createConnection(maria.url(db));
          await connection.query('SELECT GET_LOCK(?, 0)', [mysqlLockName(db)]);
          return () => connection.end();
        },
      };
    },
    slow: 'SELECT SLEEP(0.5);',
    transactionalDdl: false,
    missing: /Table '.*missing_table' doesn't exist/,
  },
  {
    name: 'sqlite',
    create() {
      const file = join(mkdtempSync(join(tmpdir(), 'dk-sqlite-')), 'app.db');
      const q = (sql: string) => rows(execFileSync('sqlite3', ['-batch', file, sql], { encoding: 'utf8' }));
      return {
        url: `sqlite://${file}`,
        tables: () => q("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY 1"),
        history: () => (q("SELECT name FROM sqlite_master WHERE name = 'deploy_kit_migrations'").length ? q(HISTORY) : []),
        async holdLock() {
          const lock = `${file}.deploy-kit-migrate.lock`;
          writeFileSync(
            lock,
            JSON.stringify({
              token: 'other',
              pid: process.pid,
              host: hostname(),
              run: 'https://github.com/acme/shop/actions/runs/1',
              started: new Date().toISOString(),
            }),
          );
          return async () => rmSync(lock);
        },
      };
    },
    slow: 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000) SELECT count(*) FROM c;',
    transactionalDdl: true,
    missing: /no such table: missing_table/,
  },
];

const FILES: Record<string, string> = {
  '0001_users.sql': '-- migrate:up\nCREATE TABLE users (id integer PRIMARY KEY, name varchar(100));\n-- migrate:down\nDROP TABLE users;\n',
  '0002_posts.sql':
    "-- migrate:up\nCREATE TABLE posts (id integer PRIMARY KEY, title varchar(100));\n-- a comment; with a semicolon\nINSERT INTO posts (id, title) VALUES (1, 'semi;colon');\n-- migrate:down\nDROP TABLE posts;\n",
  '0003_tags.sql': '-- migrate:up\nCREATE TABLE tags (id integer PRIMARY KEY);\n-- migrate:down\nDROP TABLE tags;\n',
};

function migrations(files: Record<string, string> = FILES): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'dk-migrations-')), 'migrations');
  mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const migrate = (db: Database, dir: string, extra: Record<string, string> = {}) =>
  runBundle('migrate', { 'database-url': db.url, dir, ...extra });

describe.each(engines)('migrate tool: sql on $name', (engine) => {
  it('applies every file once, records it, and a re-run does nothing', async () => {
    const db = engine.create();
    const dir = migrations();
    const first = await migrate(db, dir);
    expect(first.exitCode, first.stdout).toBe(0);
    expect(first.outputs).toMatchObject({ applied: '0001_users,0002_posts,0003_tags', pending: '' });
    expect(db.tables()).toEqual(['deploy_kit_migrations', 'posts', 'tags', 'users']);
    expect(db.history()).toEqual(['0001 users', '0002 posts', '0003 tags']);
    expect(first.summary).toContain('| 0002_posts | applied |');

    const again = await migrate(db, dir);
    expect(again.exitCode, again.stdout).toBe(0);
    expect(again.outputs).toMatchObject({ applied: '', pending: '', plan: 'nothing to do' });
    expect(again.summary).toContain('Nothing to do');
    expect(db.history()).toEqual(['0001 users', '0002 posts', '0003 tags']);
  });

  it('plan lists pending files without running them', async () => {
    const db = engine.create();
    const dir = migrations({ '0001_users.sql': FILES['0001_users.sql']! });
    expect((await migrate(db, dir)).exitCode).toBe(0);
    writeFileSync(join(dir, '0002_posts.sql'), FILES['0002_posts.sql']!);
    const plan = await migrate(db, dir, { plan: 'true' });
    expect(plan.exitCode, plan.stdout).toBe(0);
    expect(plan.outputs).toMatchObject({ plan: 'up 0002_posts', pending: '0002_posts', applied: '' });
    expect(plan.summary).toContain('would run up');
    expect(db.tables()).not.toContain('posts');
    expect(db.history()).toEqual(['0001 users']);
  });

  it('plan on an empty database creates nothing', async () => {
    const db = engine.create();
    const plan = await migrate(db, migrations(), { plan: 'true' });
    expect(plan.exitCode, plan.stdout).toBe(0);
    expect(plan.outputs.pending).toBe('0001_users,0002_posts,0003_tags');
    expect(db.tables()).toEqual([]);
  });

  it('down: N rolls back the last N files with their down sections', async () => {
    const db = engine.create();
    const dir = migrations();
    expect((await migrate(db, dir)).exitCode).toBe(0);
    const down = await migrate(db, dir, { down: '2' });
    expect(down.exitCode, down.stdout).toBe(0);
    expect(down.outputs).toMatchObject({ 'rolled-back': '0003_tags,0002_posts', pending: '0002_posts,0003_tags', applied: '' });
    expect(db.tables()).toEqual(['deploy_kit_migrations', 'users']);
    expect(db.history()).toEqual(['0001 users']);
    expect(down.summary).toContain('| 0003_tags | rolled back |');
    expect(down.summary).not.toContain('| 0003_tags | pending |');
    const tooMany = await migrate(db, dir, { down: '2' });
    expect(tooMany.exitCode).not.toBe(0);
    expect(tooMany.stdout).toContain('input "down": 2 files to roll back, but only 1 are applied');
  });

  it('a failed file is not recorded, earlier files stay, and the error names the file, line and database message', async () => {
    const db = engine.create();
    const dir = migrations({
      ...FILES,
      '0004_bad.sql':
        '-- migrate:up\nCREATE TABLE extra (id integer);\n\nINSERT INTO missing_table VALUES (1);\n-- migrate:down\nDROP TABLE extra;\n',
    });
    const run = await migrate(db, dir);
    expect(run.exitCode).not.toBe(0);
    expect(run.stdout).toMatch(/0004_bad\.sql: statement .*line 4/);
    expect(run.stdout).toMatch(engine.missing);
    expect(run.stdout).toContain('not recorded as applied');
    expect(run.outputs).toMatchObject({ applied: '0001_users,0002_posts,0003_tags', pending: '0004_bad' });
    expect(run.summary).toContain('| 0004_bad | failed, not recorded |');
    expect(db.history()).toEqual(['0001 users', '0002 posts', '0003 tags']);
    if (engine.transactionalDdl) expect(db.tables()).not.toContain('extra');
  });

  it('refuses to run when an applied file was changed, naming it', async () => {
    const db = engine.create();
    const dir = migrations();
    expect((await migrate(db, dir)).exitCode).toBe(0);
    appendFileSync(join(dir, '0002_posts.sql'), '-- edited\n');
    writeFileSync(join(dir, '0004_more.sql'), '-- migrate:up\nCREATE TABLE more (id integer);\n');
    const run = await migrate(db, dir);
    expect(run.exitCode).not.toBe(0);
    expect(run.stdout).toContain('0002_posts.sql was changed after it was applied');
    expect(db.tables()).not.toContain('more');
  });

  it('serialises two concurrent runs with the lock: both succeed and each file runs once', async () => {
    const db = engine.create();
    const dir = migrations({ ...FILES, '0001_users.sql': `-- migrate:up\n${engine.slow}\nCREATE TABLE users (id integer PRIMARY KEY);\n` });
    const [a, b] = await Promise.all([migrate(db, dir), migrate(db, dir)]);
    expect(a.exitCode, a.stdout).toBe(0);
    expect(b.exitCode, b.stdout).toBe(0);
    const applied = [a.outputs.applied, b.outputs.applied].filter(Boolean).join(',').split(',').sort();
    expect(applied).toEqual(['0001_users', '0002_posts', '0003_tags']);
    expect(db.history()).toEqual(['0001 users', '0002 posts', '0003 tags']);
  });
  it('waits for a lock held by another run up to lock-timeout, then fails without changing anything', async () => {
    const db = engine.create();
    const dir = migrations();
    const release = await db.holdLock();
    try {
      const run = await migrate(db, dir, { 'lock-timeout': '1s' });
      expect(run.exitCode).not.toBe(0);
      expect(run.stdout).toContain('another migration run held the migration lock for longer than lock-timeout (1s)');
      expect(db.history()).toEqual([]);
      expect(db.tables()).not.toContain('users');
    } finally {
      await release();
    }
    const after = await migrate(db, dir, { 'lock-timeout': '1s' });
    expect(after.exitCode, after.stdout).toBe(0);
    expect(after.outputs.applied).toBe('0001_users,0002_posts,0003_tags');
  });
});

describe('migrate tool: sql, engine specifics', () => {
  it('takes over an SQLite lock file left by a process that is gone', async () => {
    const db = engines[2]!.create();
    const file = db.url.replace('sqlite://', '');
    writeFileSync(
      `${file}.deploy-kit-migrate.lock`,
      JSON.stringify({ token: 'dead', pid: 2 ** 22 + 1, host: hostname(), run: 'run 7', started: '2026-01-01T00:00:00Z' }),
    );
    const run = await migrate(db, migrations(), { 'lock-timeout': '1s' });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.stdout).toContain('taking over the migration lock');
    expect(run.stdout).toContain('run 7');
    expect(existsSync(`${file}.deploy-kit-migrate.lock`)).toBe(false);
  });

  it('runs a -- migrate:no-transaction file outside a transaction (CREATE INDEX CONCURRENTLY)', async () => {
    const db = engines[0]!.create();
    const dir = migrations({
      '0001_users.sql': FILES['0001_users.sql']!,
      '0002_index.sql':
        '-- migrate:up\n-- migrate:no-transaction\nCREATE INDEX CONCURRENTLY users_name ON users (name);\n-- migrate:down\nDROP INDEX CONCURRENTLY users_name;\n',
    });
    const run = await migrate(db, dir);
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs.applied).toBe('0001_users,0002_index');
    const down = await migrate(db, dir, { down: '1' });
    expect(down.exitCode, down.stdout).toBe(0);
  });

  it('keeps PostgreSQL dollar-quoted bodies whole and points at the failing line inside a statement', async () => {
    const db = engines[0]!.create();
    const dir = migrations({
      '0001_fn.sql':
        '-- migrate:up\nCREATE FUNCTION one() RETURNS int AS $$\nBEGIN\n  RETURN 1; -- ; inside\nEND;\n$$ LANGUAGE plpgsql;\nSELECT 1\n  FROM\n  nowhere;\n',
    });
    const run = await migrate(db, dir);
    expect(run.exitCode).not.toBe(0);
    expect(run.stdout).toContain('0001_fn.sql: statement 2 of 2 (line 9, position');
    expect(db.tables()).toEqual(['deploy_kit_migrations']);
  });

  it('masks the database password and never prints it', async () => {
    const db = engines[0]!.create();
    const run = await migrate(db, migrations());
    expect(run.stdout).toContain('::add-mask::secret-pg-password');
    expect(printed(run)).not.toContain('secret-pg-password');
    expect(run.summary).not.toContain('secret-pg-password');
    expect(run.summary).toContain('postgres://postgres:***@127.0.0.1');
  });

  it('fails on a bad input naming it, before connecting', async () => {
    const tool = await runBundle('migrate', { tool: 'flyway', 'database-url': 'postgres://deploy:s3cret-pw@127.0.0.1:1/db' });
    expect(tool.exitCode).not.toBe(0);
    expect(tool.stdout).toContain('input "tool": expected one of sql, django, alembic, prisma, knex, command, got "flyway"');
    const url = await runBundle('migrate', { 'database-url': 'oracle://deploy:s3cret-pw@127.0.0.1:1/db', dir: migrations() });
    expect(url.exitCode).not.toBe(0);
    expect(url.stdout).toContain('input "database-url": unknown scheme "oracle:"');
    expect(url.stdout).not.toContain('could not connect');
    const noDir = await runBundle('migrate', {
      'database-url': 'postgres://deploy:s3cret-pw@127.0.0.1:1/db',
      dir: '/nonexistent/migrations',
    });
    expect(noDir.stdout).toContain('input "dir": /nonexistent/migrations is not a directory');
  });
});
