import { existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { sqlite } from '../../harness/services/backup.js';
import { printed, runBundle } from '../../harness/services/runner.js';
import { ensureUser, type SshServer, startSshd } from '../../harness/services/sshd.js';

const USER = 'dkbackup';
let sshd: SshServer;
let home: string;

beforeAll(async () => {
  home = ensureUser(USER);
  sshd = await startSshd();
});
afterAll(async () => {
  await sshd?.stop();
});

describe('backup + restore with an SSH host as the target', () => {
  it('streams the backup to the host, publishes it with its manifest, and restores from it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dk-sqlite-ssh-'));
    const file = join(dir, 'app.db');
    sqlite(file, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t VALUES (1, 'one'), (2, 'two');");
    const root = `backups-${process.pid}`;
    const target = {
      target: 'ssh',
      hosts: `${USER}@127.0.0.1:${sshd.port}`,
      'ssh-key': sshd.privateKey,
      'known-hosts': sshd.knownHosts,
      path: root,
    };

    const backup = await runBundle('backup', { 'database-url': `sqlite://${file}`, ...target }, { post: true });
    expect(backup.exitCode, printed(backup)).toBe(0);
    const remote = join(home, root, 'app');
    expect(readdirSync(remote).sort()).toEqual([backup.outputs.key!.split('/')[1], `${backup.outputs.key!.split('/')[1]}.manifest.json`]);
    expect(existsSync(backup.state['ssh-dir']!)).toBe(false); // key removed
    // 0600 files in 0700 directories, whatever the host's umask.
    for (const [path, mode] of [
      [join(home, root), 0o700],
      [remote, 0o700],
      [join(home, root, backup.outputs.key!), 0o600],
      [join(home, root, `${backup.outputs.key!}.manifest.json`), 0o600],
    ] as const)
      expect([path, statSync(path).mode & 0o777]).toEqual([path, mode]);

    sqlite(file, 'DELETE FROM t;');
    const restore = await runBundle('restore', { 'database-url': `sqlite://${file}`, ...target, confirm: 'app' }, { post: true });
    expect(restore.exitCode, printed(restore)).toBe(0);
    expect(sqlite(file, 'SELECT id, v FROM t ORDER BY id')).toBe('1|one\n2|two\n');
    expect(readdirSync(remote).some((f) => f.includes('-pre-restore.'))).toBe(true);
  });
});
