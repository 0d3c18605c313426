import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { SQLITE_RECEIVE } from '../../src/backup/source/sqlite-host.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dk-sqlite-receive-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the receiving script the way the host runs it: the file on stdin, target and the file to take mode and owner from as arguments. */
const receive = (input: Buffer, target: string, like = target) =>
  spawnSync('sh', ['-c', SQLITE_RECEIVE, 'sh', target, like], { input, encoding: 'utf8' });

function sqliteFile(name: string, value: string): string {
  const file = join(dir, name);
  execFileSync('sqlite3', [file, `CREATE TABLE t (v TEXT); INSERT INTO t VALUES ('${value}');`]);
  return file;
}

describe('SQLITE_RECEIVE (restore of a SQLite file on source-host)', () => {
  it('renames the received file over the target with its mode, leaving nothing beside it', () => {
    const target = sqliteFile('app.db', 'old');
    chmodSync(target, 0o640);
    const backup = readFileSync(sqliteFile('backup.sqlite', 'new'));
    rmSync(join(dir, 'backup.sqlite'));
    const result = receive(backup, target);
    expect(result.status, result.stderr).toBe(0);
    expect(readFileSync(target).equals(backup)).toBe(true);
    expect((statSync(target).mode & 0o7777).toString(8)).toBe('640');
    expect(readdirSync(dir)).toEqual(['app.db']);
  });

  it('refuses a file that fails PRAGMA integrity_check before the rename: the target is unchanged', () => {
    const target = sqliteFile('app.db', 'old');
    const before = readFileSync(target);
    const result = receive(Buffer.from('not a database, just bytes\n'.repeat(100)), target);
    expect(result.status).toBe(4);
    expect(result.stderr).toContain('the restored SQLite file fails PRAGMA integrity_check');
    expect(result.stderr).toContain('nothing was changed');
    expect(readFileSync(target).equals(before)).toBe(true);
    expect(readdirSync(dir)).toEqual(['app.db']);
  });

  it('writes a new name beside the database with the database file as the model (the swap mode)', () => {
    const target = sqliteFile('app.db', 'old');
    chmodSync(target, 0o600);
    const backup = readFileSync(sqliteFile('backup.sqlite', 'new'));
    rmSync(join(dir, 'backup.sqlite'));
    const result = receive(backup, join(dir, 'app_restore_x.db'), target);
    expect(result.status, result.stderr).toBe(0);
    expect((statSync(join(dir, 'app_restore_x.db')).mode & 0o7777).toString(8)).toBe('600');
    expect(readdirSync(dir).sort()).toEqual(['app.db', 'app_restore_x.db']);
  });
});
