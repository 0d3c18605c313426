import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { backupDir, readManifestFile } from '../../harness/services/backup.js';
import { type PgContainer, startPgContainer } from '../../harness/services/pg-container.js';
import { startPodman } from '../../harness/services/podman.js';
import { printed, runBundle } from '../../harness/services/runner.js';

/**
 * `container:` where docker is absent: the action's `sh -c 'if command -v docker …; else e=podman'`
 * picks podman. The bundle sees a PATH of one directory holding only the tools it needs (docker is in
 * /usr/bin and /usr/local/bin here), and podman's config (vfs storage under a temp dir, runc) through
 * CONTAINERS_CONF / CONTAINERS_STORAGE_CONF. The image is built locally: no registry.
 */
const PASSWORD = 'podman-pg-secret';
const CONTAINER = 'dk-db-podman';
const TOOLS = ['sh', 'podman', 'zstd'];

const started = await startPodman();
const engine = started.engine;
let pg: PgContainer;
let bin: string;

beforeAll(async () => {
  if (!engine) return;
  bin = mkdtempSync(join(tmpdir(), 'dk-podman-path-'));
  for (const tool of TOOLS)
    symlinkSync(execFileSync('sh', ['-c', 'command -v "$1"', 'sh', tool], { encoding: 'utf8' }).trim(), join(bin, tool));
  pg = await startPgContainer(engine, CONTAINER, PASSWORD);
  await pg.psql('CREATE DATABASE app');
  await pg.psql("CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t SELECT g, 'row ' || g FROM generate_series(1, 250) g", 'app');
}, 300_000);

afterAll(async () => {
  try {
    await pg?.stop();
    await engine?.stop();
  } finally {
    if (bin) rmSync(bin, { recursive: true, force: true });
  }
});

describe.skipIf(!engine)(
  `a database inside a podman container on the runner, no docker${started.problem ? ` (skipped: ${started.problem})` : ''}`,
  () => {
    it('backs up with podman exec -i pg_dump, verifies on the server, and restores with new-database-then-swap inside the container', async () => {
      const env = { PATH: bin, ...engine!.env };
      expect(() => execFileSync(join(bin, 'sh'), ['-c', 'command -v docker'], { env, stdio: 'ignore' })).toThrow();
      const dir = backupDir();
      const inputs = { 'database-url': pg.url('app'), container: CONTAINER, target: 'local', path: dir };
      const backup = await runBundle(
        'backup',
        { ...inputs, verify: 'server', 'verify-query': 'SELECT count(*) FROM t' },
        { post: true, env },
      );
      expect(backup.exitCode, printed(backup)).toBe(0);
      expect(backup.stdout).toContain('verify query returned "250"');
      expect(printed(backup)).not.toContain(PASSWORD);
      const manifest = readManifestFile(dir, backup.outputs.key!) as { tools: Record<string, string> };
      expect(manifest.tools.where).toBe(`container ${CONTAINER} on the runner`);

      await pg.psql('DELETE FROM t WHERE id > 3', 'app');
      const restore = await runBundle('restore', { ...inputs, confirm: 'app' }, { post: true, env });
      expect(restore.exitCode, printed(restore)).toBe(0);
      expect((await pg.psql('SELECT count(*) FROM t', 'app')).trim()).toBe('250');
      expect((await pg.psql("SELECT count(*) FROM pg_database WHERE datname LIKE 'app_replaced_%'")).trim()).toBe('1');
    }, 300_000);
  },
);
