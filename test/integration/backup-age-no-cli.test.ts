// A runner without the age CLI (GitHub's ubuntu images): PATH holds only the tools a SQLite backup needs.
// The bundles encrypt and decrypt in-process, and the files interoperate with the real age CLI both ways.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { ageKeyPair, backupDir, readManifestFile, sqlite } from '../../harness/services/backup.js';
import { printed, runBundle } from '../../harness/services/runner.js';

const scratch = mkdtempSync(join(tmpdir(), 'dk-no-age-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A PATH with sqlite3 and zstd (and what they need) but no age. */
const bin = join(scratch, 'bin');
execFileSync('mkdir', [bin]);
for (const tool of ['sqlite3', 'zstd']) symlinkSync(execFileSync('which', [tool], { encoding: 'utf8' }).trim(), join(bin, tool));
const noAge = { env: { PATH: bin } };

function database(): { file: string; url: string; count: () => string } {
  const dir = mkdtempSync(join(scratch, 'app-'));
  const file = join(dir, 'app.db');
  sqlite(
    file,
    `CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);
     WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) INSERT INTO notes SELECT i, 'note ' || i FROM n;`,
  );
  return { file, url: `sqlite://${file}`, count: () => sqlite(file, 'SELECT count(*) FROM notes').trim() };
}

/** `age -d | zstd -d` with the real CLIs, into a SQLite file, counted. */
function readWithCli(stored: string, identity: string): string {
  const id = join(mkdtempSync(join(scratch, 'id-')), 'key');
  writeFileSync(id, identity, { mode: 0o600 });
  const copy = join(scratch, `copy-${Date.now()}.db`);
  execFileSync('sh', ['-c', 'age -d -i "$1" "$2" | zstd -q -d -c > "$3"', 'sh', id, stored, copy]);
  return sqlite(copy, 'SELECT count(*) FROM notes').trim();
}

describe('encryption without the age CLI on the runner', () => {
  it('backup encrypts in-process (verify included); age -d reads the object; restore decrypts in-process; its safety backup too', async () => {
    const key = ageKeyPair();
    const db = database();
    const dir = backupDir();
    const backup = await runBundle(
      'backup',
      { 'database-url': db.url, path: dir, 'age-recipients': key.recipient, 'age-identity': key.identity, verify: 'true' },
      noAge,
    );
    expect(backup.exitCode, printed(backup)).toBe(0);
    expect(backup.outputs.key).toMatch(/\.sqlite\.zst\.age$/);
    expect(readManifestFile(dir, backup.outputs.key!)).toMatchObject({ encrypted: true });
    expect(readWithCli(join(dir, backup.outputs.key!), key.identity)).toBe('3000');

    sqlite(db.file, 'DELETE FROM notes WHERE id > 10');
    const restore = await runBundle('restore', { 'database-url': db.url, path: dir, confirm: 'app', 'age-identity': key.identity }, noAge);
    expect(restore.exitCode, printed(restore)).toBe(0);
    expect(db.count()).toBe('3000');
    // The safety backup is encrypted to the identity's recipient, computed without age-keygen.
    expect(readWithCli(join(dir, restore.outputs['safety-backup']!), key.identity)).toBe('10');
    expect(printed(restore)).not.toContain(key.identity.trim().split('\n').pop()!);
  });

  it('a backup the age CLI encrypted is restored without the CLI', async () => {
    const key = ageKeyPair();
    const db = database();
    const dir = backupDir();
    const backup = await runBundle('backup', { 'database-url': db.url, path: dir, 'age-recipients': key.recipient });
    expect(backup.exitCode, printed(backup)).toBe(0);
    sqlite(db.file, 'DELETE FROM notes');
    const restore = await runBundle('restore', { 'database-url': db.url, path: dir, confirm: 'app', 'age-identity': key.identity }, noAge);
    expect(restore.exitCode, printed(restore)).toBe(0);
    expect(db.count()).toBe('3000');
  });

  it('an SSH recipient needs the CLI: refused before anything is dumped', async () => {
    const dir = backupDir();
    const run = await runBundle(
      'backup',
      { 'database-url': database().url, path: dir, 'age-recipients': 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG2Fq3dL0kqv6tqa test' },
      noAge,
    );
    expect(run.exitCode).toBe(1);
    expect(printed(run)).toMatch(/input "age-recipients": .* needs the age CLI, which is not on this runner/);
    expect(execFileSync('find', [dir, '-type', 'f'], { encoding: 'utf8' })).toBe('');
  });
});
