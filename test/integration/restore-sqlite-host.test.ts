import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { backupDir } from '../../harness/services/backup.js';
import { printed, runBundle } from '../../harness/services/runner.js';
import { ensureUser, type SshServer, startSshd } from '../../harness/services/sshd.js';

/**
 * Restoring a SQLite file on source-host (dump-on: host): the backup streams into a temp file beside
 * the database there, which gets the file's mode and owner, passes PRAGMA integrity_check and is
 * renamed over it (or, with new-database-then-swap, written beside and swapped in).
 */
const OWNER = 'dksqlite';
let sshd: SshServer;
let dir: string;
let uid: number;
let gid: number;

beforeAll(async () => {
  ensureUser(OWNER);
  uid = Number(execFileSync('id', ['-u', OWNER], { encoding: 'utf8' }));
  gid = Number(execFileSync('id', ['-g', OWNER], { encoding: 'utf8' }));
  sshd = await startSshd();
  dir = mkdtempSync(join(tmpdir(), 'dk-sqlite-host-'));
  chownSync(dir, uid, gid);
  chmodSync(dir, 0o775);
}, 60_000);

afterAll(async () => {
  await sshd?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const asOwner = (file: string, sql: string) => execFileSync('runuser', ['-u', OWNER, '--', 'sqlite3', file, sql], { encoding: 'utf8' });

/** A database file of OWNER with mode 0640 and some rows. */
function database(name: string): string {
  const file = join(dir, `${name}.db`);
  asOwner(
    file,
    "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500) INSERT INTO t SELECT i, 'row ' || i FROM n;",
  );
  chmodSync(file, 0o640);
  return file;
}

const source = (user: string) => ({
  'source-host': `${user}@127.0.0.1:${sshd.port}`,
  'ssh-key': sshd.privateKey,
  'known-hosts': sshd.knownHosts,
  'dump-on': 'host',
});

/** The bytes of a stored backup (zstd, not encrypted). */
const backupBytes = (target: string, key: string) => execFileSync('zstd', ['-q', '-d', '-c', join(target, key)]);

describe.each(['in-place', 'new-database-then-swap'] as const)('SQLite restored on source-host, mode %s', (mode) => {
  it('keeps the mode (0640) and owner of the file and restores the backup byte for byte (SSH as root)', async () => {
    const name = mode === 'in-place' ? 'inplace' : 'swapped';
    const file = database(name);
    const target = backupDir();
    const inputs = { 'database-url': `sqlite://${file}`, target: 'local', path: target, ...source(sshd.user) };
    const backup = await runBundle('backup', inputs, { post: true });
    expect(backup.exitCode, printed(backup)).toBe(0);
    asOwner(file, 'DELETE FROM t WHERE id > 10;');

    const restore = await runBundle('restore', { ...inputs, confirm: name, mode }, { post: true });
    expect(restore.exitCode, printed(restore)).toBe(0);
    const after = statSync(file);
    expect((after.mode & 0o7777).toString(8)).toBe('640');
    expect([after.uid, after.gid]).toEqual([uid, gid]);
    expect(readFileSync(file).equals(backupBytes(target, backup.outputs.key!))).toBe(true);
    expect(asOwner(file, 'SELECT count(*) FROM t;').trim()).toBe('500');
    expect(restore.outputs['safety-backup']).toMatch(/-pre-restore\.sqlite\.zst$/);
    // Nothing half-written is left beside it; the swap keeps the replaced file (hard link), as on the runner.
    const beside = readdirSync(dir).filter((f) => f.startsWith(`${name}`) || f.startsWith(`.${name}`));
    if (mode === 'in-place') expect(beside).toEqual([`${name}.db`]);
    else {
      expect(beside).toHaveLength(2);
      expect(beside).toContain(`${name}.db`);
      const replaced = beside.find((f) => f !== `${name}.db`)!;
      expect(replaced).toMatch(new RegExp(`^${name}_replaced_\\w+\\.db$`));
      const kept = join(dir, replaced);
      expect(asOwner(kept, 'SELECT count(*) FROM t;').trim()).toBe('10');
    }
  }, 120_000);
});

describe('SQLite restore on source-host that cannot keep the owner', () => {
  it('is refused before any byte moves when the SSH user may not chown to the file owner; the file is unchanged', async () => {
    const file = database('foreign');
    // root owns it, the SSH user reaches it through the group: it can back it up, not give a new file root's ownership.
    chownSync(file, 0, gid);
    chmodSync(file, 0o660);
    const target = backupDir();
    const inputs = { 'database-url': `sqlite://${file}`, target: 'local', path: target, ...source(OWNER) };
    const backup = await runBundle('backup', inputs, { post: true });
    expect(backup.exitCode, printed(backup)).toBe(0);
    asOwner(file, 'DELETE FROM t WHERE id > 10;');
    const before = readFileSync(file);

    const restore = await runBundle('restore', { ...inputs, confirm: 'foreign', mode: 'in-place' }, { post: true });
    expect(restore.exitCode).not.toBe(0);
    expect(printed(restore)).toContain(`cannot keep the owner root:${OWNER} (0:${gid}) of ${file}: ${OWNER} may not chown to it`);
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(statSync(file).uid).toBe(0);
    expect(readdirSync(dir).filter((f) => f.includes('foreign'))).toEqual(['foreign.db']);
  }, 120_000);
});

describe('SQLite restore inside a container', () => {
  it('is refused before anything connects, pointing to dump-on: host', async () => {
    const run = await runBundle('restore', {
      'database-url': `sqlite://${join(dir, 'none.db')}`,
      container: 'db',
      target: 'local',
      path: backupDir(),
      confirm: 'none',
    });
    expect(run.exitCode).not.toBe(0);
    expect(printed(run)).toContain('input "container": restoring a SQLite file inside a container is not supported');
  });
});
