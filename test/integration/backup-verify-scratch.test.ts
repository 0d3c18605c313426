// verify: scratch restores each new backup into a throwaway server started on the runner from the server
// binaries there (PostgreSQL from /usr/lib/postgresql/<major>/bin, mariadbd), counts rows per table,
// then stops it and removes its data: the database server sees only the dump.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ageKeyPair, backupDir } from '../../harness/services/backup.js';
import { type MariaDbServer, startMariaDb } from '../../harness/services/mariadb.js';
import { type PostgresServer, startPostgres } from '../../harness/services/postgres.js';
import { printed, runBundle } from '../../harness/services/runner.js';

let pg: PostgresServer;
let maria: MariaDbServer;

/** Scratch data directories left behind (root runs the servers as postgres/mysql, in the system temp dir). */
const scratchDirs = (run: { env: Record<string, string> }) =>
  [run.env.RUNNER_TEMP!, tmpdir()].flatMap((d) => readdirSync(d).filter((f) => f.startsWith('dk-verify-')));

/** Scratch servers of this file's runs still running, found by their data directory (under this file's temp dir). */
const scratchProcesses = () =>
  execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.includes('dk-verify-') && l.includes(tmpdir()));

beforeAll(async () => {
  [pg, maria] = await Promise.all([startPostgres(), startMariaDb()]);
  pg.psql("CREATE ROLE app LOGIN PASSWORD 'app-password' NOCREATEDB");
  pg.psql('CREATE DATABASE shop OWNER app');
  pg.psql(
    `CREATE TABLE customers (id int PRIMARY KEY, name text); INSERT INTO customers SELECT g, 'c' || g FROM generate_series(1, 1234) g;
     CREATE TABLE orders (id int PRIMARY KEY, customer int REFERENCES customers); INSERT INTO orders SELECT g, g % 1234 + 1 FROM generate_series(1, 321) g;
     ALTER TABLE customers OWNER TO app; ALTER TABLE orders OWNER TO app; GRANT SELECT ON customers TO PUBLIC;`,
    'shop',
  );
  maria.sql('CREATE DATABASE shop');
  maria.sql(
    'CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(40)); INSERT INTO items SELECT seq, CONCAT("i", seq) FROM seq_1_to_777;',
    'shop',
  );
});

afterAll(async () => {
  await Promise.all([pg?.stop(), maria?.stop()]);
});

const appUrl = () => pg.url('shop').replace('postgres:secret-pg-password@', 'app:app-password@');

describe('verify: scratch', () => {
  it('PostgreSQL: a role without CREATEDB gets a verified backup; rows per table in the summary; nothing left behind', async () => {
    const dir = backupDir();
    const run = await runBundle('backup', {
      'database-url': appUrl(),
      path: dir,
      verify: 'true',
      'verify-query': 'SELECT count(*) FROM orders',
    });
    expect(run.exitCode, printed(run)).toBe(0);
    expect(run.stdout).toContain('starting a scratch server: PostgreSQL');
    expect(run.stdout).toContain('verify query returned "321"');
    expect(run.summary).toMatch(/yes: scratch server PostgreSQL \d+ on 127\.0\.0\.1:\d+, stopped and removed/);
    expect(run.summary).toContain('| public.customers | 1234 |');
    expect(run.summary).toContain('| public.orders | 321 |');
    expect(pg.psql("SELECT datname FROM pg_database WHERE datname LIKE 'shop%'").trim()).toBe('shop');
    expect(scratchProcesses()).toEqual([]);
    expect(scratchDirs(run)).toEqual([]);
    expect(printed(run)).not.toContain('app-password');
  });

  it('verify: server is still the scratch database on the server, which this role may not create', async () => {
    const run = await runBundle('backup', { 'database-url': appUrl(), path: backupDir(), verify: 'server' });
    expect(run.exitCode).toBe(1);
    expect(printed(run)).toMatch(/permission denied to create database/);
  });

  it('an encrypted backup verifies in a scratch server too (age in-process or CLI)', async () => {
    const key = ageKeyPair();
    const run = await runBundle('backup', {
      'database-url': pg.url('shop'),
      path: backupDir(),
      verify: 'scratch',
      'age-recipients': key.recipient,
      'age-identity': key.identity,
    });
    expect(run.exitCode, printed(run)).toBe(0);
    expect(run.summary).toContain('| public.customers | 1234 |');
  });

  it('MariaDB: restored into a throwaway mariadbd, counted, stopped', async () => {
    const run = await runBundle('backup', {
      'database-url': maria.url('shop'),
      path: backupDir(),
      verify: 'scratch',
      'verify-query': 'SELECT COUNT(*) FROM items',
    });
    expect(run.exitCode, printed(run)).toBe(0);
    expect(run.stdout).toMatch(/starting a scratch server: MariaDB \d+\.\d+/);
    expect(run.stdout).toContain('verify query returned "777"');
    expect(run.summary).toContain('| `items` | 777 |');
    expect(maria.sql('SHOW DATABASES').split('\n')).not.toContainEqual(expect.stringMatching(/verify/));
    expect(scratchProcesses()).toEqual([]);
    expect(scratchDirs(run)).toEqual([]);
  });
});
