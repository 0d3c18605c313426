import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type ArtifactService, startArtifactService } from '../../harness/doubles/artifacts.js';
import { ageKeyPair, sqlite } from '../../harness/services/backup.js';
import { printed, ROOT, runBundle } from '../../harness/services/runner.js';

const TOKEN = 'ghs_artifact_test_token';
const keys = ageKeyPair();
let github: ArtifactService;

beforeAll(async () => {
  github = await startArtifactService({ token: TOKEN });
});
afterAll(async () => {
  await github?.close();
});

function database(): { file: string; url: string; rows: () => string } {
  const file = join(mkdtempSync(join(tmpdir(), 'dk-artifact-app-')), 'app.db');
  sqlite(
    file,
    `CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT, blob BLOB);
     WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)
     INSERT INTO notes SELECT i, 'note ' || i, randomblob(16) FROM n;`,
  );
  return { file, url: `sqlite://${file}`, rows: () => sqlite(file, 'SELECT id, body, hex(blob) FROM notes ORDER BY id') };
}

/** One step of a new workflow run: the run's artifact service environment and its own RUNNER_TEMP. */
function inRun(prefix: string) {
  const run = github.startRun();
  const runnerTemp = mkdtempSync(join(tmpdir(), 'dk-artifact-temp-'));
  return {
    runId: run.runId,
    runnerTemp,
    step: (action: 'backup' | 'restore', db: { url: string }, inputs: Record<string, string>, token = TOKEN) =>
      runBundle(
        action,
        { 'database-url': db.url, target: 'artifact', prefix, 'github-token': token, ...inputs },
        { env: { ...run.env, RUNNER_TEMP: runnerTemp } },
      ),
  };
}

const names = (runId?: number) =>
  github.artifacts
    .filter((a) => runId === undefined || a.runId === runId)
    .map((a) => a.name)
    .sort();

describe('backup + restore with target artifact', () => {
  it('backs up in one scheduled run and restores in a later one, from the newest or a named backup', async () => {
    const db = database();
    const first = db.rows();
    const nightly1 = inRun('nightly');
    const backup1 = await nightly1.step('backup', db, { 'age-recipients': keys.recipient, 'retention-days': '30' });
    expect(backup1.exitCode, printed(backup1)).toBe(0);
    expect(backup1.outputs.key).toMatch(/^nightly\/app\/\d{8}T\d{6}Z\.sqlite\.zst\.age$/);
    const name = backup1.outputs.key!.replaceAll('/', '+');
    expect(names(nightly1.runId)).toEqual([name, `${name}.manifest.json`]);
    const object = github.artifacts.find((a) => a.name === name)!;
    expect(object.size).toBe(Number(backup1.outputs.size));
    expect(object.content.subarray(0, 21).toString()).toBe('age-encryption.org/v1');
    expect(Math.round((object.expiresAt!.getTime() - Date.now()) / 86_400_000)).toBe(30);
    expect(readdirSync(nightly1.runnerTemp).filter((f) => f.startsWith('dk-artifact-'))).toEqual([]);

    sqlite(db.file, "UPDATE notes SET body = 'second night' WHERE id <= 10;");
    const second = db.rows();
    const nightly2 = inRun('nightly');
    // prune: false, or keep-daily would keep only this newer backup of the same day.
    const backup2 = await nightly2.step('backup', db, { 'age-recipients': keys.recipient, prune: 'false' });
    expect(backup2.exitCode, printed(backup2)).toBe(0);
    expect(backup2.outputs.key).not.toBe(backup1.outputs.key);

    sqlite(db.file, 'DELETE FROM notes;');
    const incident = inRun('nightly');
    const latest = await incident.step('restore', db, { confirm: 'app', 'age-identity': keys.identity });
    expect(latest.exitCode, printed(latest)).toBe(0);
    expect(latest.outputs['restored-from']).toBe(backup2.outputs.key);
    expect(db.rows()).toEqual(second);
    // The safety backup of the emptied database is an (encrypted) artifact of the restore's run.
    const safety = latest.outputs['safety-backup']!;
    expect(safety).toMatch(/-pre-restore\.sqlite\.zst\.age$/);
    expect(names(incident.runId)).toEqual([safety.replaceAll('/', '+'), `${safety.replaceAll('/', '+')}.manifest.json`]);

    const older = await inRun('nightly').step('restore', db, {
      confirm: 'app',
      'age-identity': keys.identity,
      from: backup1.outputs.key!,
      mode: 'in-place',
    });
    expect(older.exitCode, printed(older)).toBe(0);
    expect(db.rows()).toEqual(first);
  });

  it('retention deletes the artifacts of older runs; an expired backup is skipped by latest', async () => {
    const db = database();
    const keys1 = await inRun('pruned').step('backup', db, { 'age-recipients': keys.recipient, prune: 'false' });
    expect(keys1.exitCode, printed(keys1)).toBe(0);
    const second = await inRun('pruned').step('backup', db, { 'age-recipients': keys.recipient, prune: 'false' });
    expect(second.exitCode, printed(second)).toBe(0);
    const third = await inRun('pruned').step('backup', db, {
      'age-recipients': keys.recipient,
      'keep-last': '2',
      'keep-daily': '0',
      'keep-weekly': '0',
    });
    expect(third.exitCode, printed(third)).toBe(0);
    expect(JSON.parse(third.outputs.deleted!)).toEqual([keys1.outputs.key]);
    expect(names().filter((n) => n.startsWith('pruned+'))).toEqual(
      [second.outputs.key!, third.outputs.key!].flatMap((k) => [k.replaceAll('/', '+'), `${k.replaceAll('/', '+')}.manifest.json`]).sort(),
    );

    // GitHub removed the newest backup after its retention days: latest is the newest one it still has.
    github.expire(third.outputs.key!.replaceAll('/', '+'));
    const restore = await inRun('pruned').step('restore', db, { confirm: 'app', 'age-identity': keys.identity });
    expect(restore.exitCode, printed(restore)).toBe(0);
    expect(restore.outputs['restored-from']).toBe(second.outputs.key);
  });

  it('a corrupted artifact is refused by its checksum and the database is left as it was', async () => {
    const db = database();
    const backup = await inRun('corrupt').step('backup', db, { 'age-recipients': keys.recipient });
    expect(backup.exitCode, printed(backup)).toBe(0);
    const object = github.artifacts.find((a) => a.name === backup.outputs.key!.replaceAll('/', '+'))!;
    object.content[object.content.length - 1]! ^= 0xff;
    sqlite(db.file, "UPDATE notes SET body = 'after the backup' WHERE id = 1;");
    const now = db.rows();
    const restore = await inRun('corrupt').step('restore', db, { confirm: 'app', 'age-identity': keys.identity });
    expect(restore.exitCode).toBe(1);
    expect(restore.stdout).toContain('does not match its manifest');
    expect(db.rows()).toEqual(now);
  });

  it('refuses before dumping anything: unencrypted backups, outside an Actions job, a token without actions: read', async () => {
    const db = database();
    const before = github.requests.length;
    const plain = await inRun('refused').step('backup', db, {});
    expect(plain.exitCode).toBe(1);
    expect(plain.stdout).toContain('target artifact stores only encrypted backups');
    expect(github.requests.length).toBe(before);

    const outside = await runBundle('backup', {
      'database-url': db.url,
      target: 'artifact',
      'github-token': TOKEN,
      'age-recipients': keys.recipient,
    });
    expect(outside.exitCode).toBe(1);
    expect(outside.stdout).toContain('artifact works only inside a GitHub Actions job');

    const cli = await import('node:child_process').then(({ spawnSync }) =>
      spawnSync(
        process.execPath,
        [join(ROOT, 'dist/cli/index.js'), 'backup', '--database-url', db.url, '--target', 'artifact', '--age-recipients', keys.recipient],
        { encoding: 'utf8' },
      ),
    );
    expect(cli.status).not.toBe(0);
    expect(cli.stderr + cli.stdout).toContain('artifact works only inside a GitHub Actions job');
    expect(github.requests.length).toBe(before);

    const denied = await startArtifactService({ token: TOKEN, deny: ['read'] });
    try {
      const run = denied.startRun();
      const refused = await runBundle(
        'backup',
        { 'database-url': db.url, target: 'artifact', 'github-token': TOKEN, 'age-recipients': keys.recipient },
        { env: run.env },
      );
      expect(refused.exitCode).toBe(1);
      expect(refused.stdout).toContain('The token needs "actions: read"');
      expect(denied.artifacts).toEqual([]);
    } finally {
      await denied.close();
    }
  });

  it('warns when the keep-* policy reaches past the days GitHub keeps artifacts', async () => {
    const db = database();
    const run = await inRun('monthly').step('backup', db, {
      'age-recipients': keys.recipient,
      'retention-days': '30',
      'keep-monthly': '12',
    });
    expect(run.exitCode, printed(run)).toBe(0);
    expect(run.stdout).toMatch(/::warning::.*GitHub deletes each artifact after 30 days.*about 372 days/);
  });
});
