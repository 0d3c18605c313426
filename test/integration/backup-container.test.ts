import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { backupDir, readManifestFile } from '../../harness/services/backup.js';
import { dockerAvailable, type DockerEngine, startDockerd } from '../../harness/services/dockerd.js';
import { buildHostBinariesImage, type PgContainer, startPgContainer } from '../../harness/services/pg-container.js';
import { printed, runBundle } from '../../harness/services/runner.js';
import { type SshServer, startSshd } from '../../harness/services/sshd.js';

const PASSWORD = 'container-pg-secret';
const CONTAINER = 'dk-db';
let engine: DockerEngine;
let sshd: SshServer;
let pg: PgContainer;

const available = dockerAvailable();
const psql = (sql: string, database?: string) => pg.psql(sql, database);

beforeAll(async () => {
  if (!available) return;
  engine = await startDockerd();
  // The SSH session gets the engine's socket the way a VPS user's shell has it.
  sshd = await startSshd({ config: [`SetEnv DOCKER_HOST=${engine.host} DOCKER_CONFIG=${engine.env.DOCKER_CONFIG}`] });
  const cli = { dir: engine.dir, cli: (args: readonly string[]) => engine.docker(args) };
  await buildHostBinariesImage(cli);
  pg = await startPgContainer(cli, CONTAINER, PASSWORD);
  await psql('CREATE DATABASE app');
  await psql("CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t SELECT g, 'row ' || g FROM generate_series(1, 200) g", 'app');
}, 300_000);

afterAll(async () => {
  await pg?.stop();
  await sshd?.stop();
  await engine?.stop();
});

describe.skipIf(!available)('a database inside a container on source-host', () => {
  it('backs up with docker exec -i pg_dump over SSH and restores with new-database-then-swap inside the container', async () => {
    const dir = backupDir();
    const inputs = {
      'database-url': pg.url('app'),
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
