import { describe, expect, it } from 'vitest';

import { recordingLogger } from '../../harness/services/recording-logger.js';
import { objectKey, parseKeyName } from '../../src/backup/catalog.js';
import { ageDecryptArgv, ageEncryptArgv, zstdArgv } from '../../src/backup/pipeline.js';
import type { RunContext } from '../../src/core/action.js';
import { mysqlClientArgv, mysqlDumpArgv, mysqlEnv } from '../../src/db/dump/mysql.js';
import { openDatabase } from '../../src/db/dump/open.js';
import { majorOfClientVersion, majorOfServerVersionNum, pgDumpArgv, pgEnv, pgRestoreArgv } from '../../src/db/dump/postgres.js';
import { dumpTarget } from '../../src/db/dump/url.js';
import { SAFE_KEY } from '../../src/storage/target.js';

describe('database-url', () => {
  it.each([
    [
      'postgres://app:p%40ss%3Aw0rd@db.internal:6543/shop?sslmode=require',
      {
        engine: 'postgres',
        host: 'db.internal',
        port: 6543,
        user: 'app',
        password: 'p@ss:w0rd',
        database: 'shop',
        params: { sslmode: 'require' },
      },
    ],
    ['postgresql://db/shop', { engine: 'postgres', port: 5432, user: 'postgres', password: undefined, database: 'shop' }],
    ['mysql://root:pw@127.0.0.1/shop', { engine: 'mysql', port: 3306, user: 'root', password: 'pw', database: 'shop' }],
    ['mariadb://u:pw@h:3307/shop_2', { engine: 'mysql', port: 3307, database: 'shop_2' }],
    ['sqlite:///var/lib/app/data.db', { engine: 'sqlite', file: '/var/lib/app/data.db', database: 'data' }],
    ['sqlite:db/app.sqlite3', { engine: 'sqlite', file: '/work/repo/db/app.sqlite3', database: 'app' }],
  ])('%s', (url, expected) => {
    expect(dumpTarget(url, '/work/repo')).toMatchObject(expected);
  });

  it.each([
    ['redis://h/0', /unknown scheme "redis:"; expected postgres:\/\//],
    ['postgres://h/', /database name/],
    ['postgres://h/shop;drop', /database name/],
    ['postgres://h/-shop', /database name/],
  ])('rejects %s naming the input', (url, message) => {
    expect(() => dumpTarget(url, '/w')).toThrow(message);
    expect(() => dumpTarget(url, '/w')).toThrow(/input "database-url"/);
  });
});

describe('openDatabase', () => {
  it.each([
    ['postgres://app:p%40ss%2Fword@db/shop', ['p%40ss%2Fword', 'p@ss/word']],
    ['mysql://app:p@ss@db/shop', ['p@ss']],
  ])('masks %s and its password as written and decoded', (url, passwords) => {
    const logger = recordingLogger();
    const { db, engine } = openDatabase(url, { logger, env: { workspace: '/w' } } as unknown as RunContext);
    expect(engine.name).toBe(db.engine);
    expect(logger.masked).toEqual(expect.arrayContaining([url, ...passwords]));
  });
});

describe('dump and restore commands (passwords only in the environment)', () => {
  const pg = dumpTarget('postgres://app:s3cret@db:5432/shop?sslmode=require', '/w');
  const my = dumpTarget('mysql://app:s3cret@db:3306/shop', '/w');

  it.each([
    ['pg_dump', pgDumpArgv(pg), ['pg_dump', '-Fc', '-Z', '0', '--no-password', '-h', 'db', '-p', '5432', '-U', 'app', '-d', 'shop']],
    [
      'pg_restore into a new database',
      pgRestoreArgv(pg, 'shop_restore_x', false),
      [
        'pg_restore',
        '--no-owner',
        '--exit-on-error',
        '--single-transaction',
        '--no-password',
        '-h',
        'db',
        '-p',
        '5432',
        '-U',
        'app',
        '-d',
        'shop_restore_x',
      ],
    ],
    ['pg_restore in place', pgRestoreArgv(pg, 'shop', true).slice(-2), ['--clean', '--if-exists']],
    [
      'mariadb-dump',
      mysqlDumpArgv('mariadb-dump', my),
      [
        'mariadb-dump',
        '--single-transaction',
        '--routines',
        '--triggers',
        '--hex-blob',
        '--no-tablespaces',
        '--protocol=TCP',
        '-h',
        'db',
        '-P',
        '3306',
        '-u',
        'app',
        'shop',
      ],
    ],
    [
      'mariadb client',
      mysqlClientArgv('mariadb', my, 'shop'),
      ['mariadb', '--protocol=TCP', '-h', 'db', '-P', '3306', '-u', 'app', 'shop'],
    ],
    ['zstd', zstdArgv(false), ['zstd', '-q', '-c', '-3', '-T0']],
    ['unzstd', zstdArgv(true), ['zstd', '-q', '-d', '-c']],
    ['age', ageEncryptArgv(['age1a', 'age1b']), ['age', '-r', 'age1a', '-r', 'age1b']],
    ['age -d', ageDecryptArgv('/tmp/id'), ['age', '-d', '-i', '/tmp/id']],
  ])('%s', (_name, argv, expected) => {
    expect(argv).toEqual(expected);
    expect(argv.join(' ')).not.toContain('s3cret');
  });

  it('passes passwords and sslmode through the environment', () => {
    expect(pgEnv(pg)).toEqual({ PGPASSWORD: 's3cret', PGSSLMODE: 'require' });
    expect(mysqlEnv(my)).toEqual({ MYSQL_PWD: 's3cret' });
  });

  it('compares pg_dump and server major versions', () => {
    expect(majorOfClientVersion('pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)')).toBe(15);
    expect(majorOfClientVersion('pg_dump (PostgreSQL) 17.2')).toBe(17);
    expect(majorOfServerVersionNum('150018')).toBe(15);
    expect(majorOfServerVersionNum('170002')).toBe(17);
  });
});

describe('object keys', () => {
  it('names objects <prefix>/<db>/<UTC stamp>[-tag].<ext> and parses them back', () => {
    const created = new Date('2026-03-04T05:06:07.890Z');
    const key = objectKey({ prefix: 'prod/db', database: 'shop', created, extension: 'pgdump.zst.age' });
    expect(key).toBe('prod/db/shop/20260304T050607Z.pgdump.zst.age');
    expect(parseKeyName(key)).toEqual({ created: new Date('2026-03-04T05:06:07Z'), tag: undefined });
    const tagged = objectKey({ prefix: '', database: 'shop', created, tag: 'pre-restore', extension: 'sql.gz' });
    expect(tagged).toBe('shop/20260304T050607Z-pre-restore.sql.gz');
    expect(parseKeyName(tagged)?.tag).toBe('pre-restore');
    expect(parseKeyName('shop/notes.txt')).toBeUndefined();
  });

  it.each(['a/../b', '../x', '/abs', 'a//b', 'a b', "a'b", 'a/./b'])('rejects unsafe key %s', (key) => {
    expect(SAFE_KEY.test(key)).toBe(false);
  });
});
