import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { backupDir } from '../../harness/services/backup.js';
import { type NetworkNamespace, networkNamespacesAvailable, startNetworkNamespace } from '../../harness/services/netns.js';
import { type SocketPostgres, startSocketPostgres } from '../../harness/services/postgres-socket.js';
import { printed, runBundle } from '../../harness/services/runner.js';
import { ensureUser, type SshServer, startSshd } from '../../harness/services/sshd.js';

/**
 * source-host behind a bastion: both sshd's run in a network namespace of their own, the jump host's
 * port is exposed to the runner, the source host's is not (nothing listens on it where the bundle
 * runs). The PostgreSQL listens on a Unix socket only, which the source host's sshd reaches.
 */
const USER = 'dksrcjump';
const available = networkNamespacesAvailable();
let ns: NetworkNamespace;
let jump: SshServer;
let host: SshServer;
let pg: SocketPostgres;
let home: string;

beforeAll(async () => {
  if (!available) return;
  home = ensureUser(USER);
  ns = await startNetworkNamespace();
  jump = await startSshd({ netns: ns });
  await ns.expose(jump.port);
  host = await startSshd({ netns: ns, authorizedKey: jump.privateKeyFile });
  pg = await startSocketPostgres(USER);
  pg.psql('CREATE DATABASE app');
  pg.psql(
    "CREATE TABLE notes (id int PRIMARY KEY, body text); INSERT INTO notes SELECT g, 'note ' || g FROM generate_series(1, 300) g",
    'app',
  );
}, 120_000);

afterAll(async () => {
  if (home) rmSync(join(home, 'jump.db'), { force: true });
  await Promise.all([jump?.stop(), host?.stop(), pg?.stop()]);
  await ns?.stop();
});

/** source-host through jump-host, one key for both, both host keys pinned in known-hosts. */
const through = (knownHosts = jump.knownHosts + host.knownHosts) => ({
  'source-host': `${USER}@127.0.0.1:${host.port}`,
  'jump-host': `${jump.user}@127.0.0.1:${jump.port}`,
  'ssh-key': jump.privateKey,
  'known-hosts': knownHosts,
});

describe.skipIf(!available)('source-host reached only through jump-host', () => {
  it('is not reachable without the jump host', async () => {
    const { 'jump-host': _jump, ...direct } = through();
    const run = await runBundle('backup', { 'database-url': pg.url('app'), target: 'local', path: backupDir(), ...direct });
    expect(run.exitCode).not.toBe(0);
    expect(printed(run)).toMatch(/cannot connect to source-host[\s\S]*Connection refused/);
  });

  it('dump-on: host backs up a SQLite file on the host through the jump host', async () => {
    const file = join(home, 'jump.db');
    execFileSync('runuser', ['-u', USER, '--', 'sqlite3', file, "CREATE TABLE t (v text); INSERT INTO t VALUES ('behind the bastion');"]);
    const dir = backupDir();
    const run = await runBundle(
      'backup',
      { 'database-url': `sqlite://${file}`, target: 'local', path: dir, 'dump-on': 'host', ...through() },
      { post: true },
    );
    expect(run.exitCode, printed(run)).toBe(0);
    expect(run.stdout).toContain(`connected to source-host ${USER}@127.0.0.1:${host.port}`);
    const copy = join(dir, 'copy.db');
    execFileSync('sh', ['-c', 'zstd -q -d -c "$1" > "$2"', 'sh', join(dir, run.outputs.key!), copy]);
    expect(execFileSync('sqlite3', [copy, 'SELECT v FROM t'], { encoding: 'utf8' }).trim()).toBe('behind the bastion');
  }, 120_000);

  it('dump-on: runner backs up and restores a PostgreSQL through the forward on the jumped connection', async () => {
    const inputs = { 'database-url': pg.url('app'), target: 'local', path: backupDir(), 'dump-on': 'runner', ...through() };
    const backup = await runBundle('backup', inputs, { post: true });
    expect(backup.exitCode, printed(backup)).toBe(0);
    pg.psql('DELETE FROM notes WHERE id > 7', 'app');
    const restore = await runBundle('restore', { ...inputs, confirm: 'app' }, { post: true });
    expect(restore.exitCode, printed(restore)).toBe(0);
    expect(pg.psql('SELECT count(*) FROM notes', 'app').trim()).toBe('300');
    expect(printed(restore)).not.toContain(pg.password);
  }, 180_000);

  it('a wrong host key for the jump host fails, naming jump-host', async () => {
    const run = await runBundle('backup', {
      'database-url': pg.url('app'),
      target: 'local',
      path: backupDir(),
      ...through(jump.wrongKnownHosts + host.knownHosts),
    });
    expect(run.exitCode).not.toBe(0);
    expect(printed(run)).toContain(
      `host key mismatch on jump-host ${jump.user}@127.0.0.1:${jump.port}: it presents ssh-ed25519 ${jump.fingerprint}`,
    );
    expect(printed(run)).toContain(`ssh-keyscan -p ${jump.port} 127.0.0.1`);
  });

  it('an unpinned jump host key is refused, naming jump-host', async () => {
    const run = await runBundle('backup', {
      'database-url': pg.url('app'),
      target: 'local',
      path: backupDir(),
      ...through(host.knownHosts),
    });
    expect(run.exitCode).not.toBe(0);
    expect(printed(run)).toContain(
      `the host key of jump-host ${jump.user}@127.0.0.1:${jump.port} is not pinned: known-hosts has no line for [127.0.0.1]:${jump.port}`,
    );
  });

  it("a wrong key for the source host behind a pinned jump host is the source host's, not the jump host's", async () => {
    const run = await runBundle('backup', {
      'database-url': pg.url('app'),
      target: 'local',
      path: backupDir(),
      ...through(jump.knownHosts + host.wrongKnownHosts),
    });
    expect(run.exitCode).not.toBe(0);
    expect(printed(run)).toContain('Host key verification failed');
    expect(printed(run)).toContain('The host key did not match the pinned one');
    expect(printed(run)).not.toContain('on jump-host');
  });
});
