import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { flavorOf } from '../../src/backup/scratch/mysql.js';
import { planPostgres, postgresMajors } from '../../src/backup/scratch/postgres.js';

const base = mkdtempSync(join(tmpdir(), 'dk-pg-bins-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));
for (const major of ['14', '16']) {
  mkdirSync(join(base, major, 'bin'), { recursive: true });
  for (const tool of ['initdb', 'postgres']) writeFileSync(join(base, major, 'bin', tool), '');
}
mkdirSync(join(base, '17', 'bin'), { recursive: true }); // a client-only install: no server

describe('which scratch server can take the dump', () => {
  it('PostgreSQL: majors with initdb and postgres, newest first; the newest at least the dumped one', () => {
    expect(postgresMajors(base)).toEqual([16, 14]);
    expect(planPostgres({ server: '140011' }, base)).toMatchObject({ label: expect.stringContaining('PostgreSQL 16') });
    expect(planPostgres({ server: '160004' }, base)).toMatchObject({ label: expect.stringContaining('PostgreSQL 16') });
  });

  it('PostgreSQL: a dump from a newer server says what to install', () => {
    expect(planPostgres({ server: '170002' }, base)).toEqual({
      missing: 'no PostgreSQL server of version 17 or newer on the runner (found 16, 14); install postgresql-17 (apt.postgresql.org)',
    });
    expect(planPostgres({ server: '150000' }, join(base, 'none'))).toMatchObject({ missing: expect.stringContaining('nothing under') });
  });

  it('MySQL family: the flavour and version of SELECT VERSION() and of mysqld --version', () => {
    expect(flavorOf('10.11.6-MariaDB-0+deb12u1')).toEqual({ mariadb: true, major: 10, minor: 11 });
    expect(flavorOf('/usr/sbin/mysqld  Ver 8.0.36-0ubuntu0.22.04.1 for Linux on x86_64 ((Ubuntu))')).toEqual({
      mariadb: false,
      major: 8,
      minor: 0,
    });
    expect(flavorOf('mariadbd  Ver 10.11.19-MariaDB-0+deb12u1 for debian-linux-gnu')).toEqual({ mariadb: true, major: 10, minor: 11 });
  });
});
