import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ageKeyPair, backupDir, sqlite, storedFiles } from '../../harness/services/backup.js';
import { printed, ROOT, runBundle } from '../../harness/services/runner.js';
import { type S3Server, startS3 } from '../../harness/services/s3.js';

let s3: S3Server;

beforeAll(async () => {
  s3 = await startS3();
});
afterAll(async () => {
  await s3?.stop();
});

function database(): { dir: string; file: string; url: string; rows: () => string } {
  const dir = mkdtempSync(join(tmpdir(), 'dk-sqlite-app-'));
  const file = join(dir, 'app.db');
  sqlite(
    file,
    `PRAGMA journal_mode=WAL;
     CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT, blob BLOB, score REAL);
     WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
     INSERT INTO notes SELECT i, 'note ' || i || ' ünïcode', randomblob(16), i / 3.0 FROM n;
     CREATE INDEX notes_score ON notes(score);`,
  );
  return { dir, file, url: `sqlite://${file}`, rows: () => sqlite(file, 'SELECT id, body, hex(blob), score FROM notes ORDER BY id') };
}

describe('backup + restore on SQLite', () => {
  it('round trip to a local directory with gzip: the file is replaced in one step, the old one kept beside it', async () => {
    const db = database();
    const dir = backupDir();
    const before = db.rows();
    const backup = await runBundle('backup', {
      'database-url': db.url,
      path: dir,
      compression: 'gzip',
      verify: 'true',
      'verify-query': 'SELECT count(*) FROM notes',
    });
    expect(backup.exitCode, printed(backup)).toBe(0);
    expect(backup.outputs.key).toMatch(/^app\/\d{8}T\d{6}Z\.sqlite\.gz$/);
    expect(backup.stdout).toContain('verify query returned "2000"');
    expect(readdirSync(db.dir).filter((f) => f.includes('verify'))).toEqual([]);

    sqlite(db.file, "DELETE FROM notes WHERE id > 5; UPDATE notes SET body = 'changed' WHERE id = 1;");
    const restore = await runBundle('restore', { 'database-url': db.url, path: dir, confirm: 'app' });
    expect(restore.exitCode, printed(restore)).toBe(0);
    expect(db.rows()).toEqual(before);
    expect(sqlite(db.file, 'PRAGMA integrity_check').trim()).toBe('ok');
    const replaced = readdirSync(db.dir).find((f) => f.startsWith('app_replaced_'))!;
    expect(sqlite(join(db.dir, replaced), 'SELECT count(*) FROM notes').trim()).toBe('5');
    expect(storedFiles(dir)).toContain(restore.outputs['safety-backup']);
  });

  it('restores from the CLI during an incident (deploy-kit restore ...)', async () => {
    const db = database();
    const dir = backupDir();
    const before = db.rows();
    expect((await runBundle('backup', { 'database-url': db.url, path: dir })).exitCode).toBe(0);
    sqlite(db.file, 'DELETE FROM notes;');
    const cli = (confirm: string) =>
      spawnSync(process.execPath, [join(ROOT, 'dist/cli/index.js'), 'restore', '--path', dir, '--confirm', confirm], {
        encoding: 'utf8',
        env: { ...process.env, DEPLOY_KIT_DATABASE_URL: db.url, RUNNER_TEMP: tmpdir() },
      });
    const refused = cli('wrong');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('set confirm to exactly "app"');
    expect(db.rows()).toBe('');
    const done = cli('app');
    expect(done.status, done.stderr).toBe(0);
    expect(done.stdout).toMatch(/^safety-backup=app\/\d{8}T\d{6}Z-pre-restore\.sqlite\.zst$/m);
    expect(db.rows()).toEqual(before);
  });

  it('streams a database far larger than its memory: the node process stays bounded', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dk-sqlite-big-'));
    const file = join(dir, 'big.db');
    // 320 MB of incompressible rows: buffering the dump would show as RSS far above the bound.
    sqlite(
      file,
      'CREATE TABLE b (id INTEGER PRIMARY KEY, v BLOB); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 320) INSERT INTO b SELECT i, randomblob(1000000) FROM n;',
    );
    const target = backupDir();
    try {
      const run = await runBundle('backup', { 'database-url': `sqlite://${file}`, path: target, prune: 'false' });
      expect(run.exitCode, run.stderr).toBe(0);
      expect(Number(run.outputs.size)).toBeGreaterThan(320_000_000);
      expect(run.peakKb).toBeGreaterThan(0);
      expect(run.peakKb / 1024).toBeLessThan(200);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(target, { recursive: true, force: true });
    }
  });

  it('encrypted round trip through S3, and the wrong identity leaves the file as it was', async () => {
    const db = database();
    const keys = ageKeyPair();
    const target = { ...s3.inputs(), prefix: 'lite' };
    const before = db.rows();
    const backup = await runBundle('backup', {
      'database-url': db.url,
      ...target,
      'age-recipients': keys.recipient,
      verify: 'true',
      'age-identity': keys.identity,
    });
    expect(backup.exitCode, printed(backup)).toBe(0);
    expect(backup.outputs.key).toMatch(/^lite\/app\/\d{8}T\d{6}Z\.sqlite\.zst\.age$/);

    sqlite(db.file, 'DELETE FROM notes;');
    const denied = await runBundle('restore', { 'database-url': db.url, ...target, confirm: 'app', 'age-identity': ageKeyPair().identity });
    expect(denied.exitCode).toBe(1);
    expect(denied.stdout).toMatch(/no identity matched/);
    expect(db.rows()).toBe('');
    expect(existsSync(`${db.file}.restoring`)).toBe(false);

    const restore = await runBundle('restore', {
      'database-url': db.url,
      ...target,
      confirm: 'app',
      'age-identity': keys.identity,
      mode: 'in-place',
    });
    expect(restore.exitCode, printed(restore)).toBe(0);
    expect(db.rows()).toEqual(before);
  });
});
