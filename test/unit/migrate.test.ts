import { describe, expect, it } from 'vitest';

import { recordingLogger } from '../../harness/services/recording-logger.js';
import type { MigrationFile } from '../../src/db/migrate/files.js';
import { parseMigration } from '../../src/db/migrate/files.js';
import { planSteps } from '../../src/db/migrate/runner.js';
import { lineOfPosition, splitStatements } from '../../src/db/migrate/split.js';
import { appliedFromOutput, presetInvocation } from '../../src/db/migrate/tool-table.js';
import { maskDatabaseUrl, parseDatabaseUrl } from '../../src/db/url.js';

describe('parseDatabaseUrl', () => {
  it.each([
    [
      'postgres://app:p%40ss@db.example.com:6543/shop?sslmode=require',
      { engine: 'postgres', host: 'db.example.com', port: 6543, user: 'app', password: 'p@ss', database: 'shop' },
    ],
    ['postgresql://app@db/shop', { engine: 'postgres', host: 'db', port: 5432, user: 'app', password: '', database: 'shop' }],
    ['mysql://root:pw@127.0.0.1/shop', { engine: 'mysql', port: 3306, database: 'shop' }],
    ['mariadb://root:pw@[::1]:3307/shop', { engine: 'mysql', host: '::1', port: 3307 }],
    ['postgres:///shop?host=/run/postgresql&user=app', { engine: 'postgres', host: '/run/postgresql', database: 'shop' }],
    ['sqlite:///var/lib/app/db.sqlite3', { engine: 'sqlite', path: '/var/lib/app/db.sqlite3' }],
    ['sqlite:data/app.db', { engine: 'sqlite', path: '/work/data/app.db' }],
    ['sqlite3:./app.db', { engine: 'sqlite', path: '/work/app.db' }],
  ])('%s', (raw, expected) => {
    expect(parseDatabaseUrl(raw, '/work')).toMatchObject(expected);
  });

  it('shows the URL with the password hidden', () => {
    expect(parseDatabaseUrl('postgres://app:hunter2@db:5432/shop', '/').display).toBe('postgres://app:***@db:5432/shop');
  });

  it.each([
    ['oracle://u:p@h/db', 'unknown scheme "oracle:"'],
    ['db.example.com/shop', 'no scheme'],
    ['postgres://u:p@h', 'no database name'],
    ['sqlite://host/file.db', 'three slashes'],
    ['sqlite:', 'no SQLite database file'],
  ])('rejects %s naming the input, without echoing the URL', (raw, why) => {
    expect(() => parseDatabaseUrl(raw, '/')).toThrow(`input "database-url": `);
    expect(() => parseDatabaseUrl(raw, '/')).toThrow(why);
    try {
      parseDatabaseUrl(raw, '/');
    } catch (error) {
      if (raw.includes(':p@')) expect((error as Error).message).not.toContain(':p@');
    }
  });

  it('masks the URL and its password, encoded and decoded', () => {
    const logger = recordingLogger();
    maskDatabaseUrl(logger, 'postgresql+psycopg://app:p%40ss%2Fword@db/shop');
    expect(logger.masked).toEqual(expect.arrayContaining(['postgresql+psycopg://app:p%40ss%2Fword@db/shop', 'p%40ss%2Fword', 'p@ss/word']));
    maskDatabaseUrl(logger, 'mysql://app:p@ss@db/shop');
    expect(logger.masked).toContain('p@ss');
  });
});

describe('parseMigration', () => {
  it('splits up and down sections and remembers their first line', () => {
    const parsed = parseMigration(
      '0001_x.sql',
      '-- a header comment\n-- migrate:up\nCREATE TABLE t (id int);\n\n-- migrate:down\nDROP TABLE t;\n',
    );
    expect(parsed.up).toEqual({ sql: 'CREATE TABLE t (id int);\n', startLine: 3 });
    expect(parsed.down).toEqual({ sql: 'DROP TABLE t;\n', startLine: 6 });
    expect(parsed.transaction).toBe(true);
  });

  it('honours -- migrate:no-transaction and treats an empty down section as none', () => {
    const parsed = parseMigration(
      '0002_i.sql',
      '-- migrate:up\n-- migrate:no-transaction\nCREATE INDEX CONCURRENTLY i ON t (id);\n-- migrate:down\n-- nothing\n',
    );
    expect(parsed.transaction).toBe(false);
    expect(parsed.down).toBeUndefined();
  });

  it.each([
    ['CREATE TABLE t (id int);\n', 'no "-- migrate:up" line'],
    ['DROP TABLE x;\n-- migrate:up\nSELECT 1;\n', '0003_bad.sql:1: SQL before the "-- migrate:up" line'],
    ['-- migrate:up\nSELECT 1;\n-- migrate:sideways\n', 'unknown marker "-- migrate:sideways"'],
    ['-- migrate:up\nSELECT 1;\n-- migrate:up\n', 'a second "-- migrate:up" section'],
  ])('rejects a malformed file: %j', (text, message) => {
    expect(() => parseMigration('0003_bad.sql', text)).toThrow(message);
  });
});

describe('splitStatements', () => {
  it.each([
    [
      'postgres',
      'SELECT 1;\nSELECT 2;',
      [
        ['SELECT 1', 1],
        ['SELECT 2', 2],
      ],
    ],
    [
      'postgres',
      "INSERT INTO t VALUES ('a;b', 'it''s;');\nSELECT 1",
      [
        ["INSERT INTO t VALUES ('a;b', 'it''s;')", 1],
        ['SELECT 1', 2],
      ],
    ],
    ['postgres', '-- only; a comment\n/* block;\n comment */\nSELECT 1;', [['SELECT 1', 4]]],
    [
      'postgres',
      'CREATE FUNCTION f() RETURNS int AS $body$\nBEGIN RETURN 1; END;\n$body$ LANGUAGE plpgsql;\nSELECT 2;',
      [
        ['CREATE FUNCTION f() RETURNS int AS $body$\nBEGIN RETURN 1; END;\n$body$ LANGUAGE plpgsql', 1],
        ['SELECT 2', 4],
      ],
    ],
    ['postgres', 'SELECT $$a;b$$;', [['SELECT $$a;b$$', 1]]],
    ['postgres', 'SELECT "odd;name" FROM t;', [['SELECT "odd;name" FROM t', 1]]],
    [
      'mysql',
      "INSERT INTO t VALUES ('a\\';b');\n# hash; comment\nSELECT `x;y` FROM t;",
      [
        ["INSERT INTO t VALUES ('a\\';b')", 1],
        ['SELECT `x;y` FROM t', 3],
      ],
    ],
    ['postgres', ';;\n;', []],
  ] as const)('%s: %j', (dialect, sql, expected) => {
    expect(splitStatements(sql, 1, dialect).map((s) => [s.sql, s.line])).toEqual(expected);
  });

  it('counts lines from the section start and maps a position inside a statement to its line', () => {
    const [first, second] = splitStatements('\n\nSELECT 1;\nSELECT *\n  FROM nowhere;', 10, 'postgres');
    expect(first!.line).toBe(12);
    expect(second!.line).toBe(13);
    expect(lineOfPosition(second!, second!.sql.indexOf('nowhere') + 1)).toBe(14);
  });
});

describe('presets', () => {
  it.each([
    ['django', false, ['python', 'manage.py', 'migrate', '--noinput']],
    ['django', true, ['python', 'manage.py', 'showmigrations', '--plan']],
    ['alembic', false, ['alembic', 'upgrade', 'head']],
    ['alembic', true, ['alembic', 'upgrade', 'head', '--sql']],
    ['prisma', false, ['npx', 'prisma', 'migrate', 'deploy']],
    ['prisma', true, ['npx', 'prisma', 'migrate', 'status']],
    ['knex', false, ['npx', 'knex', 'migrate:latest']],
    ['knex', true, ['npx', 'knex', 'migrate:list']],
  ] as const)('%s (plan: %s) runs %j', (tool, plan, argv) => {
    const invocation = presetInvocation(tool, plan);
    expect(invocation?.argv).toEqual(argv);
    expect(invocation?.remote).toBe(argv.join(' '));
  });

  it('runs a custom command through bash -c as the user wrote it, and has no plan mode', () => {
    expect(presetInvocation('command', false, './bin/migrate --all')).toEqual({
      argv: ['bash', '--noprofile', '--norc', '-eo', 'pipefail', '-c', './bin/migrate --all'],
      remote: './bin/migrate --all',
    });
    expect(presetInvocation('command', true, './bin/migrate')).toBeUndefined();
  });

  it.each([
    [
      'django',
      'Operations to perform:\n  Applying shop.0001_initial... OK\n  Applying shop.0002_price... OK\n',
      ['shop.0001_initial', 'shop.0002_price'],
    ],
    [
      'alembic',
      'INFO  [alembic.runtime.migration] Running upgrade  -> 1a2b, create users\nINFO  [alembic.runtime.migration] Running upgrade 1a2b -> 3c4d, add email\n',
      ['1a2b', '3c4d'],
    ],
    ['prisma', 'Applying migration `20240101_init`\nApplying migration `20240202_email`\n', ['20240101_init', '20240202_email']],
    ['knex', 'Batch 1 run: 2 migrations', []],
  ] as const)('reads what %s applied from its output', (tool, output, applied) => {
    expect(appliedFromOutput(tool, output)).toEqual(applied);
  });
});

describe('planSteps', () => {
  const file = (version: string, name: string, checksum: string, down = true): MigrationFile => ({
    version,
    name,
    id: `${version}_${name}`,
    file: `${version}_${name}.sql`,
    checksum,
    up: { sql: 'SELECT 1;', startLine: 2 },
    down: down ? { sql: 'SELECT 2;', startLine: 4 } : undefined,
    transaction: true,
  });
  const files = [file('0001', 'a', 'c1'), file('0002', 'b', 'c2', false), file('0010', 'c', 'c3')];
  const row = (version: string, name: string, checksum: string) => ({ version, name, checksum, appliedAt: '2026-01-01T00:00:00Z' });

  it('returns the files not applied, in numeric order', () => {
    expect(planSteps(files, [row('0001', 'a', 'c1')], 0, recordingLogger()).map((s) => `${s.direction} ${s.file}`)).toEqual([
      'up 0002_b.sql',
      'up 0010_c.sql',
    ]);
  });

  it('refuses a changed checksum, naming the file', () => {
    expect(() => planSteps(files, [row('0001', 'a', 'other')], 0, recordingLogger())).toThrow(
      '0001_a.sql was changed after it was applied',
    );
  });

  it('rolls back the newest first and refuses a file without a down section', () => {
    const applied = [row('0001', 'a', 'c1'), row('0002', 'b', 'c2'), row('0010', 'c', 'c3')];
    expect(planSteps(files, applied, 1, recordingLogger()).map((s) => `${s.direction} ${s.file}`)).toEqual(['down 0010_c.sql']);
    expect(() => planSteps(files, applied, 2, recordingLogger())).toThrow('0002_b.sql has no "-- migrate:down" section');
  });

  it('warns about a history row without a file and about a file older than the latest applied', () => {
    const logger = recordingLogger();
    planSteps(files, [row('0010', 'c', 'c3'), row('0011', 'gone', 'x')], 0, logger);
    expect(logger.warnings.join('\n')).toContain('version 0011 (gone) is recorded as applied but has no file');
    expect(logger.warnings.join('\n')).toContain('0001_a.sql is older than the latest applied version 0011');
  });
});
