import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { backupDir, readManifestFile } from '../../harness/services/backup.js';
import { type MariaDbServer, startMariaDb } from '../../harness/services/mariadb.js';
import { type SocketPostgres, startSocketPostgres } from '../../harness/services/postgres-socket.js';
import { printed, runBundle } from '../../harness/services/runner.js';
import { ensureUser, type SshServer, startSshd } from '../../harness/services/sshd.js';

const USER = 'dksource';
let sshd: SshServer;
let pg: SocketPostgres;
let maria: MariaDbServer;
let home: string;

beforeAll(async () => {
  home = ensureUser(USER);
  [sshd, pg, maria] = await Promise.all([startSshd(), startSocketPostgres(USER), startMariaDb()]);
  pg.psql('CREATE DATABASE app');
  pg.psql(
    "CREATE TABLE notes (id int PRIMARY KEY, body text); INSERT INTO notes SELECT g, 'note ' || g FROM generate_series(1, 500) g",
    'app',
  );
  maria.sql('CREATE DATABASE shop');
  maria.sql(
    "CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(50)); INSERT INTO items SELECT seq, CONCAT('item ', seq) FROM seq_1_to_300",
    'shop',
  );
}, 120_000);

afterAll(async () => {
  if (home) rmSync(join(home, 'app.db'), { force: true });
  await Promise.all([sshd?.stop(), pg?.stop(), maria?.stop()]);
});

const source = () => ({
  'source-host': `${USER}@127.0.0.1:${sshd.port}`,
  'ssh-key': sshd.privateKey,
  'known-hosts': sshd.knownHosts,
});

const noteCount = () => pg.psql('SELECT count(*) FROM notes', 'app').trim();

describe.each(['runner', 'host'] as const)('PostgreSQL on a Unix socket only, dump-on: %s', (dumpOn) => {
  it('backs up and restores through the one SSH connection; nothing listens on TCP', async () => {
    const dir = backupDir();
    const inputs = { 'database-url': pg.url('app'), target: 'local', path: dir, 'dump-on': dumpOn, ...source() };
    const backup = await runBundle('backup', { ...inputs, verify: 'true', 'verify-query': 'SELECT count(*) FROM notes' }, { post: true });
    expect(backup.exitCode, printed(backup)).toBe(0);
    expect(backup.stdout).toContain('verify query returned "500"');
    expect(printed(backup)).not.toContain(pg.password);
    const manifest = readManifestFile(dir, backup.outputs.key!) as { tools: Record<string, string> };
    if (dumpOn === 'host') expect(manifest.tools.where).toBe(`${USER}@127.0.0.1:${sshd.port}`);
    else expect(manifest.tools.where).toBeUndefined();
    expect(existsSync(backup.state['source-ssh-dir']!)).toBe(false);

    pg.psql('DELETE FROM notes WHERE id > 10', 'app');
    const restore = await runBundle('restore', { ...inputs, confirm: 'app' }, { post: true });
    expect(restore.exitCode, printed(restore)).toBe(0);
    expect(noteCount()).toBe('500');
    expect(restore.outputs['safety-backup']).toMatch(/-pre-restore\.pgdump\.zst$/);
    // The swap kept the replaced database; drop it so the next case starts clean.
    for (const name of pg.psql("SELECT datname FROM pg_database WHERE datname LIKE 'app_replaced_%'").trim().split('\n').filter(Boolean))
      pg.psql(`DROP DATABASE "${name}"`);
  }, 180_000);
});

describe.each(['runner', 'host'] as const)('MariaDB on 127.0.0.1 of the host, dump-on: %s', (dumpOn) => {
  it('backs up and restores', async () => {
    const dir = backupDir();
    const inputs = {
      'database-url': `mysql://root:secret-maria-password@127.0.0.1:${maria.port}/shop`,
      target: 'local',
      path: dir,
      'dump-on': dumpOn,
      ...source(),
    };
    const backup = await runBundle('backup', inputs, { post: true });
    expect(backup.exitCode, printed(backup)).toBe(0);
    maria.sql('DELETE FROM items WHERE id > 5', 'shop');
    const restore = await runBundle('restore', { ...inputs, confirm: 'shop' }, { post: true });
    expect(restore.exitCode, printed(restore)).toBe(0);
    expect(maria.sql('SELECT COUNT(*) FROM items', 'shop').trim()).toBe('300');
    expect(printed(restore)).not.toContain('secret-maria-password');
  }, 180_000);
});

describe('SQLite on the host, dump-on: host', () => {
  it('runs sqlite3 .backup there and streams the copy back; restore writes it back there', async () => {
    const file = join(home, 'app.db');
    execFileSync('runuser', ['-u', USER, '--', 'sqlite3', file, "CREATE TABLE t (v text); INSERT INTO t VALUES ('on the host');"]);
    const dir = backupDir();
    const inputs = { 'database-url': `sqlite://${file}`, target: 'local', path: dir, 'dump-on': 'host', ...source() };
    const backup = await runBundle('backup', inputs, { post: true });
    expect(backup.exitCode, printed(backup)).toBe(0);
    const copy = join(dir, 'copy.db');
    execFileSync('sh', ['-c', 'zstd -q -d -c "$1" > "$2"', 'sh', join(dir, backup.outputs.key!), copy]);
    expect(execFileSync('sqlite3', [copy, 'SELECT v FROM t'], { encoding: 'utf8' }).trim()).toBe('on the host');
    execFileSync('runuser', ['-u', USER, '--', 'sqlite3', file, 'DELETE FROM t;']);
    const restore = await runBundle('restore', { ...inputs, confirm: 'app', mode: 'in-place' }, { post: true });
    expect(restore.exitCode, printed(restore)).toBe(0);
    expect(execFileSync('runuser', ['-u', USER, '--', 'sqlite3', file, 'SELECT v FROM t'], { encoding: 'utf8' }).trim()).toBe(
      'on the host',
    );
  }, 120_000);
});

describe('source-host inputs', () => {
  it('dump-on: host without source-host fails before anything connects', async () => {
    const run = await runBundle('backup', { 'database-url': pg.url('app'), target: 'local', path: backupDir(), 'dump-on': 'host' });
    expect(run.exitCode).not.toBe(0);
    expect(printed(run)).toContain('input "dump-on"');
  });

  it('a wrong host key is refused before any byte of the database moves', async () => {
    const run = await runBundle('backup', {
      'database-url': pg.url('app'),
      target: 'local',
      path: backupDir(),
      ...source(),
      'known-hosts': sshd.wrongKnownHosts,
    });
    expect(run.exitCode).not.toBe(0);
    expect(printed(run)).toMatch(/host key/i);
  });
});
