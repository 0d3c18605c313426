// The monolithic strategy end to end, as the root action runs it: SQL migrations on a real PostgreSQL,
// the sample API rolled out over a real sshd behind a real nginx, smoke checks through nginx, then the
// nightly backup of the same database.
import { cpSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, expect, it } from 'vitest';

import { type NginxServer, startNginx } from '../../harness/services/nginx.js';
import { freePort } from '../../harness/services/ports.js';
import { type PostgresServer, startPostgres } from '../../harness/services/postgres.js';
import { releaseRoot } from '../../harness/services/release-root.js';
import { ROOT, runBundle } from '../../harness/services/runner.js';
import { ensureUser, type SshServer, startSshd } from '../../harness/services/sshd.js';
import { stopSampleApp } from '../../harness/services/versioned-app.js';

const USER = 'dkdeploy';
/** The commit runBundle gives every run (GITHUB_SHA). */
const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
let sshd: SshServer;
let pg: PostgresServer;
let nginx: NginxServer;
let home: string;
let appPort: number;
const root = `e2e-mono-${process.pid}`;

beforeAll(async () => {
  home = ensureUser(USER);
  appPort = await freePort();
  [sshd, pg, nginx] = await Promise.all([startSshd(), startPostgres(), startNginx(appPort)]);
  pg.psql('CREATE DATABASE shop');
});

afterAll(async () => {
  stopSampleApp(join(home, root));
  await Promise.all([sshd?.stop(), pg?.stop(), nginx?.stop()]);
});

/** The sample API as a build would leave it: its commit in REVISION. */
function builtBackend(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'dk-e2e-')), 'backend');
  cpSync(join(ROOT, 'examples/app/backend'), dir, { recursive: true });
  writeFileSync(join(dir, 'REVISION'), `${SHA}\n`);
  return dir;
}

it('migrates, deploys behind nginx, passes the smoke checks, and backs the database up', async () => {
  const backend = [
    `hosts: ${USER}@127.0.0.1:${sshd.port}`,
    `path: ${root}`,
    `source: ${builtBackend()}`,
    `known-hosts: ${JSON.stringify(sshd.knownHosts.trim())}`,
    // The sample app deployed with its own virtualenv: before-switch has `python` only through it (the
    // host has just python3), and bin/restart starts the API with it (/health says venv: true).
    'python-venv: requirements.txt',
    `before-switch: python -c "import sys; assert sys.prefix != sys.base_prefix, sys.prefix"`,
    `restart-command: PORT=${appPort} bin/restart`,
    `health-url: ${nginx.url}/health`,
    `health-expect: 200 ${SHA}`,
    'health-timeout: 30s',
  ].join('\n');
  const run = await runBundle('deploy', {
    strategy: 'monolithic',
    'database-url': pg.url('shop'),
    'ssh-key': sshd.privateKey,
    migrate: `tool: sql\ndir: ${join(ROOT, 'examples/app/migrations')}`,
    backend,
    smoke: `url: ${nginx.url}/health\nversion-url: ${nginx.url}/health\nexpect: 200\npresets: version, security-headers\nstrict: true\ndeadline: 30s`,
  });
  expect(run.exitCode, run.stdout).toBe(0);
  expect(run.stdout).toContain('strategy monolithic: migrate → backend → smoke');

  // Migrations applied, in order, and recorded.
  expect(run.outputs['migrate-applied']).toContain('0002_add_item_price');
  expect(
    pg
      .psql("SELECT column_name FROM information_schema.columns WHERE table_name = 'items' ORDER BY ordinal_position", 'shop')
      .trim()
      .split('\n'),
  ).toContain('price_cents');
  // The release is current and serves this commit through nginx.
  expect(releaseRoot(join(home, root)).current()).toBe(`releases/${run.outputs['backend-release']}`);
  const health = (await (await fetch(`${nginx.url}/health`)).json()) as { version: string; venv: boolean };
  expect(health).toMatchObject({ version: SHA, venv: true });
  expect(existsSync(join(home, root, 'current/.venv/bin/python'))).toBe(true);
  // Smoke report green.
  expect(run.outputs['smoke-passed']).toBe('true');
  const report = JSON.parse(run.outputs['smoke-report']!) as { passed: boolean; checks: { kind: string; passed: boolean }[] };
  expect(report.passed).toBe(true);
  expect(report.checks.map((c) => [c.kind, c.passed])).toEqual(
    expect.arrayContaining([
      ['http', true],
      ['version', true],
      ['security-headers', true],
    ]),
  );

  // The scheduled backup of the same database lands in the target with its manifest.
  const target = mkdtempSync(join(tmpdir(), 'dk-e2e-backups-'));
  const backup = await runBundle('backup', { 'database-url': pg.url('shop'), target: 'local', path: target });
  expect(backup.exitCode, backup.stdout).toBe(0);
  expect(existsSync(join(target, backup.outputs.key!))).toBe(true);
  expect(existsSync(join(target, `${backup.outputs.key}.manifest.json`))).toBe(true);
});
