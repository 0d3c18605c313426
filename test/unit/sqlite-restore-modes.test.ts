import { chmodSync, chownSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';

import { afterEach, describe, expect, it } from 'vitest';

import { sqlite } from '../../harness/services/backup.js';
import { recordingLogger } from '../../harness/services/recording-logger.js';
import { ensureUser } from '../../harness/services/sshd.js';
import type { RunContext } from '../../src/core/action.js';
import { processExecutor } from '../../src/core/exec.js';
import { sqliteEngine } from '../../src/db/dump/sqlite.js';
import { dumpTarget } from '../../src/db/dump/url.js';
import { localTarget } from '../../src/storage/local.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'dk-sqlite-modes-'));
  dirs.push(dir);
  return dir;
};
const ctx = { logger: recordingLogger(), exec: processExecutor, env: { tempDir: tmpdir() } } as unknown as RunContext;

async function dumpOf(file: string): Promise<Buffer> {
  const dump = await sqliteEngine.dump(dumpTarget(`sqlite://${file}`, '/'), ctx);
  const chunks: Buffer[] = [];
  for await (const chunk of dump.stdout) chunks.push(chunk as Buffer);
  await dump.done;
  return Buffer.concat(chunks);
}

describe('SQLite restore and verify', () => {
  it("keeps the replaced file's mode and owner (0600, the app user), in place and through the swap", async () => {
    const dir = tempDir();
    const file = join(dir, 'app.db');
    sqlite(file, "CREATE TABLE t (v TEXT); INSERT INTO t VALUES ('saved');");
    const dump = await dumpOf(file);
    ensureUser('dkbackup');
    const app = statSync('/home/dkbackup');
    chownSync(file, app.uid, app.gid);
    chmodSync(file, 0o600);
    const db = dumpTarget(`sqlite://${file}`, '/');
    for (const name of ['app', 'app_restore_x']) {
      await sqliteEngine.restore(db, name, Readable.from([dump]), { clean: true }, ctx);
      const restored = statSync(join(dir, `${name}.db`));
      expect([restored.mode & 0o777, restored.uid, restored.gid]).toEqual([0o600, app.uid, app.gid]);
    }
  });

  it('runs verify-query in safe mode: dot-commands such as .shell are refused', async () => {
    const dir = tempDir();
    const file = join(dir, 'app.db');
    sqlite(file, 'CREATE TABLE t (v TEXT);');
    const db = dumpTarget(`sqlite://${file}`, '/');
    const marker = join(dir, 'ran');
    await expect(sqliteEngine.query(db, 'app', `.shell touch ${marker}`, ctx)).rejects.toThrow();
    expect(() => statSync(marker)).toThrow();
    expect(await sqliteEngine.query(db, 'app', 'SELECT count(*) FROM t', ctx)).toBe('0');
  });

  it('the local target writes 0600 files in 0700 directories', async () => {
    const root = tempDir();
    await localTarget(root).put('a/b/x.zst', Readable.from([Buffer.from('x')]));
    expect(statSync(join(root, 'a/b/x.zst')).mode & 0o777).toBe(0o600);
    expect(statSync(join(root, 'a/b')).mode & 0o777).toBe(0o700);
    expect(statSync(join(root, 'a')).mode & 0o777).toBe(0o700);
  });
});
