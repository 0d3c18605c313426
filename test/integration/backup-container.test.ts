import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { backupDir, readManifestFile } from '../../harness/services/backup.js';
import { dockerAvailable, type DockerEngine, startDockerd } from '../../harness/services/dockerd.js';
import { postgresBin } from '../../harness/services/postgres.js';
import { printed, runBundle } from '../../harness/services/runner.js';
import { type SshServer, startSshd } from '../../harness/services/sshd.js';

const PASSWORD = 'container-pg-secret';
const CONTAINER = 'dk-db';
let engine: DockerEngine;
let sshd: SshServer;
let data: string;
let port: number;

/**
 * An image with no files of its own but the root layout (FROM scratch + /bin → usr/bin and so on):
 * the host's /usr is bind-mounted read-only, so the container runs the host's PostgreSQL binaries
 * without any registry pull. The server listens on a socket inside the container only.
 */
async function startPostgresContainer(): Promise<void> {
  const bin = postgresBin()!;
  const context = mkdtempSync(join(engine.dir, 'ctx-'));
  const rootfs = join(context, 'rootfs');
  for (const d of ['usr', 'etc', 'tmp', 'run', 'data', 'proc', 'dev', 'sys', 'var']) mkdirSync(join(rootfs, d), { recursive: true });
  chmodSync(join(rootfs, 'tmp'), 0o1777);
  for (const link of ['bin', 'lib', 'lib64', 'sbin']) symlinkSync(`usr/${link}`, join(rootfs, link));
  writeFileSync(join(context, 'Dockerfile'), `FROM scratch\nCOPY rootfs/ /\nENV PATH=${bin}:/usr/bin:/bin\n`);
  await engine.docker(['build', '-q', '-t', 'dk-pg-host-binaries', context]);
  rmSync(context, { recursive: true, force: true });

  data = mkdtempSync(join(tmpdir(), 'dk-pgdata-'));
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
  chownSync(data, uid, gid);
  writeFileSync(join(data, 'pw'), `${PASSWORD}\n`);
  chownSync(join(data, 'pw'), uid, gid);
  execFileSync(
    'runuser',
    [
      '-u',
      'postgres',
      '--',
      join(bin, 'initdb'),
      '-D',
      join(data, 'pg'),
      '-U',
      'postgres',
      '--pwfile',
      join(data, 'pw'),
      '-A',
      'scram-sha-256',
      '--no-sync',
    ],
    {
      stdio: 'pipe',
    },
  );
  port = 5432;
  await engine.docker([
    'run',
    '-d',
    '--name',
    CONTAINER,
    '--network',
    'host',
    '--user',
    `${uid}:${gid}`,
    '-v',
    '/usr:/usr:ro',
    '-v',
    '/etc/passwd:/etc/passwd:ro',
    '-v',
    '/etc/group:/etc/group:ro',
    '-v',
    `${data}:/data`,
    'dk-pg-host-binaries',
    'postgres',
    '-D',
    '/data/pg',
    '-k',
    '/tmp',
    '-c',
    'listen_addresses=',
    '-c',
    'fsync=off',
  ]);
  for (let i = 0; i < 100; i += 1) {
    try {
      await psql('SELECT 1');
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 300));
    }
  }
  throw new Error(`postgres in the container did not start: ${await engine.docker(['logs', CONTAINER]).catch(() => '')}`);
}

/** psql inside the container, as `docker exec` gives it. */
const psql = (sql: string, database = 'postgres') =>
  engine.docker([
    'exec',
    '-e',
    `PGPASSWORD=${PASSWORD}`,
    CONTAINER,
    'psql',
    '-X',
    '-q',
    '-A',
    '-t',
    '-v',
    'ON_ERROR_STOP=1',
    '-h',
    '/tmp',
    '-U',
    'postgres',
    '-d',
    database,
    '-c',
    sql,
  ]);

const available = dockerAvailable();

beforeAll(async () => {
  if (!available) return;
  engine = await startDockerd();
  // The SSH session gets the engine's socket the way a VPS user's shell has it.
  sshd = await startSshd({ config: [`SetEnv DOCKER_HOST=${engine.host} DOCKER_CONFIG=${engine.env.DOCKER_CONFIG}`] });
  await startPostgresContainer();
  await psql('CREATE DATABASE app');
  await psql("CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t SELECT g, 'row ' || g FROM generate_series(1, 200) g", 'app');
}, 300_000);

afterAll(async () => {
  try {
    await engine?.docker(['rm', '-f', CONTAINER]).catch(() => undefined);
    await sshd?.stop();
    await engine?.stop();
  } finally {
    if (data) rmSync(data, { recursive: true, force: true });
  }
});

describe.skipIf(!available)('a database inside a container on source-host', () => {
  it('backs up with docker exec -i pg_dump over SSH and restores with new-database-then-swap inside the container', async () => {
    const dir = backupDir();
    const inputs = {
      'database-url': `postgres://postgres:${PASSWORD}@localhost:${port}/app?host=/tmp`,
      container: CONTAINER,
      'source-host': sshd.hostSpec,
      'ssh-key': sshd.privateKey,
      'known-hosts': sshd.knownHosts,
      target: 'local',
      path: dir,
    };
    const backup = await runBundle('backup', { ...inputs, verify: 'true', 'verify-query': 'SELECT count(*) FROM t' }, { post: true });
    expect(backup.exitCode, printed(backup)).toBe(0);
    expect(backup.stdout).toContain('verify query returned "200"');
    expect(printed(backup)).not.toContain(PASSWORD);
    const manifest = readManifestFile(dir, backup.outputs.key!) as { tools: Record<string, string> };
    expect(manifest.tools.where).toBe(`container ${CONTAINER} on ${sshd.hostSpec.replace(/:22$/, '')}`);

    await psql('DELETE FROM t WHERE id > 3', 'app');
    const restore = await runBundle('restore', { ...inputs, confirm: 'app' }, { post: true });
    expect(restore.exitCode, printed(restore)).toBe(0);
    expect((await psql('SELECT count(*) FROM t', 'app')).trim()).toBe('200');
    expect((await psql("SELECT count(*) FROM pg_database WHERE datname LIKE 'app_replaced_%'")).trim()).toBe('1');
  }, 300_000);

  it('compose:<service> needs compose-project or deploy-path', async () => {
    const run = await runBundle('backup', {
      'database-url': `postgres://postgres:x@localhost/app`,
      container: 'compose:db',
      target: 'local',
      path: backupDir(),
    });
    expect(run.exitCode).not.toBe(0);
    expect(printed(run)).toContain('input "compose-project"');
    expect(printed(run)).toContain('set compose-project or deploy-path');
  });
});
