import { copyFileSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type ArtifactService, startArtifactService } from '../../harness/doubles/artifacts.js';
import { ageKeyPair, backupDir, sqlite } from '../../harness/services/backup.js';
import { printed, runBundle } from '../../harness/services/runner.js';
import { type S3Server, startS3 } from '../../harness/services/s3.js';
import { ensureUser, type SshServer, startSshd } from '../../harness/services/sshd.js';

// Issue #17 §1: app.db backed up with no prefix and staging.db with prefix "app" give keys app/<stamp>…
// and app/staging/<stamp>…; app's restore and app's retention must never see staging's backups.
const USER = 'dkbackup';
const TOKEN = 'ghs_own_database_token';
const keys = ageKeyPair();
let sshd: SshServer;
let s3: S3Server;
let github: ArtifactService;

beforeAll(async () => {
  ensureUser(USER);
  [sshd, s3, github] = await Promise.all([startSshd(), startS3(), startArtifactService({ token: TOKEN })]);
});
afterAll(async () => {
  await Promise.all([sshd?.stop(), s3?.stop(), github?.close()]);
});

interface Target {
  inputs: Record<string, string>;
  env: () => Record<string, string>;
}

const targets: Record<string, () => Target> = {
  local: () => ({ inputs: { target: 'local', path: backupDir() }, env: () => ({}) }),
  s3: () => ({ inputs: { ...s3.inputs(), bucket: s3.bucket }, env: () => ({}) }),
  ssh: () => ({
    inputs: {
      target: 'ssh',
      hosts: `${USER}@127.0.0.1:${sshd.port}`,
      'ssh-key': sshd.privateKey,
      'known-hosts': sshd.knownHosts,
      path: `own-${process.pid}-${Date.now()}`,
    },
    env: () => ({}),
  }),
  artifact: () => ({
    // Artifacts hold only encrypted backups; the identity serves both actions (restore's safety backup).
    inputs: { target: 'artifact', 'github-token': TOKEN, 'age-recipients': keys.recipient, 'age-identity': keys.identity },
    env: () => ({ ...github.startRun().env, RUNNER_TEMP: mkdtempSync(join(tmpdir(), 'dk-own-temp-')) }),
  }),
};

function databases() {
  const dir = mkdtempSync(join(tmpdir(), 'dk-own-'));
  const make = (name: string) => {
    const file = join(dir, `${name}.db`);
    sqlite(file, `CREATE TABLE t (v TEXT); INSERT INTO t VALUES ('${name} data');`);
    return { file, url: `sqlite://${file}`, rows: () => sqlite(file, 'SELECT v FROM t') };
  };
  return { dir, app: make('app'), staging: make('staging') };
}

describe.each(Object.keys(targets))('target %s: a database only ever sees its own backups', (name) => {
  it("restores app's backup (not staging's under app/staging/) and app's retention leaves staging's alone", async () => {
    const target = targets[name]!();
    const step = (action: 'backup' | 'restore', url: string, inputs: Record<string, string>) =>
      runBundle(action, { 'database-url': url, ...target.inputs, ...inputs }, { env: target.env(), post: true });
    const { app, staging } = databases();

    const appBackup = await step('backup', app.url, {});
    expect(appBackup.exitCode, printed(appBackup)).toBe(0);
    expect(appBackup.outputs.key).toMatch(/^app\/\d{8}T\d{6}Z\.sqlite\.zst(\.age)?$/);
    const stagingBackup = await step('backup', staging.url, { prefix: 'app' });
    expect(stagingBackup.exitCode, printed(stagingBackup)).toBe(0);
    expect(stagingBackup.outputs.key).toMatch(/^app\/staging\/\d{8}T\d{6}Z\.sqlite\.zst(\.age)?$/);

    sqlite(app.file, "UPDATE t SET v = 'damaged';");
    const restore = await step('restore', app.url, { confirm: 'app' });
    expect(restore.exitCode, printed(restore)).toBe(0);
    expect(restore.outputs['restored-from']).toBe(appBackup.outputs.key);
    expect(app.rows()).toBe('app data\n');

    // keep-last 1 on app: app's older backups go (its pre-restore one is left alone), staging's stays.
    const pruned = await step('backup', app.url, { 'keep-last': '1', 'keep-daily': '0', 'keep-weekly': '0' });
    expect(pruned.exitCode, printed(pruned)).toBe(0);
    expect(JSON.parse(pruned.outputs.deleted!)).toEqual([appBackup.outputs.key]);
    sqlite(staging.file, "UPDATE t SET v = 'damaged';");
    const stagingRestore = await step('restore', staging.url, { prefix: 'app', confirm: 'staging' });
    expect(stagingRestore.exitCode, printed(stagingRestore)).toBe(0);
    expect(stagingRestore.outputs['restored-from']).toBe(stagingBackup.outputs.key);
    expect(staging.rows()).toBe('staging data\n');
  });
});

describe('a backup whose manifest names another database', () => {
  it('is refused by restore (naming both) and left alone by retention', async () => {
    const path = backupDir();
    const { app, staging } = databases();
    const stagingBackup = await runBundle('backup', { 'database-url': staging.url, target: 'local', path });
    expect(stagingBackup.exitCode, printed(stagingBackup)).toBe(0);
    // Someone copies staging's backup into app's directory.
    const copied = `app/${stagingBackup.outputs.key!.split('/')[1]}`;
    mkdirSync(join(path, 'app'));
    for (const suffix of ['', '.manifest.json'])
      copyFileSync(join(path, `${stagingBackup.outputs.key}${suffix}`), join(path, `${copied}${suffix}`));
    const inputs = { 'database-url': app.url, target: 'local', path };

    for (const from of ['latest', copied]) {
      const restore = await runBundle('restore', { ...inputs, from, confirm: 'app' });
      expect(restore.exitCode).toBe(1);
      expect(restore.stdout).toContain(`refusing to restore ${copied} into sqlite database app`);
      expect(restore.stdout).toContain('its manifest is for sqlite database staging, not sqlite database app');
      expect(app.rows()).toBe('app data\n');
    }

    const pruned = await runBundle('backup', { ...inputs, 'keep-last': '1', 'keep-daily': '0', 'keep-weekly': '0' });
    expect(pruned.exitCode, printed(pruned)).toBe(0);
    expect(JSON.parse(pruned.outputs.deleted!)).toEqual([]);
    expect(pruned.stdout).toContain(`retention leaves ${copied} alone`);
    expect(readdirSync(join(path, 'app'))).toContain(copied.split('/')[1]);
  });
});
