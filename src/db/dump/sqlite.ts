import {
  chmodSync,
  chownSync,
  createReadStream,
  createWriteStream,
  existsSync,
  linkSync,
  mkdtempSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { dirname, extname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import type { RunContext } from '../../core/action.js';
import { OperationalError } from '../../core/errors.js';
import { runChecked } from '../../core/exec.js';
import type { DumpEngine } from './engine.js';
import type { DatabaseTarget } from './url.js';

/** The files of one SQLite database: the file and what the journal modes keep beside it. */
export const SQLITE_SIDE_SUFFIXES = ['', '-wal', '-shm', '-journal'] as const;

/** A read-only query of one value; -safe: dot-commands such as .shell or .system in verify-query are refused, not run. */
export const sqliteQueryArgv = (file: string, sql: string): string[] => ['sqlite3', '-bail', '-safe', '-readonly', '-list', file, sql];

/** The first column of the first row of sqlite3 -list output. */
export const firstSqliteValue = (stdout: string): string => stdout.split('\n')[0]?.split('|')[0] ?? '';

/** Database `name` is a file beside the original one (same directory, same extension). */
export function sqliteFile(db: DatabaseTarget, name: string): string {
  const file = db.file!;
  return name === db.database ? file : join(dirname(file), `${name}${extname(file)}`);
}

/** Folds a WAL file into the database before the name is given to another file, so no stale WAL is replayed into it. */
async function checkpoint(file: string, ctx: RunContext): Promise<void> {
  if (!existsSync(file)) return;
  await runChecked(ctx.exec, 'sqlite3 wal_checkpoint', ['sqlite3', '-bail', file, 'PRAGMA wal_checkpoint(TRUNCATE);']);
}

export const sqliteEngine: DumpEngine = {
  name: 'sqlite',
  extension: 'sqlite',
  atomicRestore: true, // written beside the file, then renamed over it
  async checkTools(_db, ctx) {
    return {
      sqlite3: (await runChecked(ctx.exec, 'sqlite3 --version', ['sqlite3', '--version'])).stdout.trim().split(' ').slice(0, 2).join(' '),
    };
  },
  async dump(db, ctx: RunContext) {
    // .backup needs a seekable destination, so it goes to a private temp file, streamed and then removed.
    const dir = mkdtempSync(join(ctx.env.tempDir, 'dk-sqlite-'));
    const copy = join(dir, 'backup.sqlite');
    try {
      await runChecked(ctx.exec, 'sqlite3 .backup', ['sqlite3', '-bail', db.file!, `.backup '${copy}'`]);
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
    const stdout = createReadStream(copy);
    const done = new Promise<void>((resolve, reject) => {
      stdout.once('close', () => {
        rmSync(dir, { recursive: true, force: true });
        resolve();
      });
      stdout.once('error', reject);
    });
    return { stdout, done };
  },
  async restore(db, name, input: Readable, _options, ctx) {
    // Written beside the destination, checked, then renamed over it: readers see the old or the new file.
    const target = sqliteFile(db, name);
    const partial = `${target}.restoring`;
    // The restored file keeps the mode and owner of the one it replaces (the swap replaces the original's name).
    const original = [target, sqliteFile(db, db.database)].find((file) => existsSync(file));
    const like = original ? statSync(original) : undefined;
    try {
      await pipeline(input, createWriteStream(partial, { mode: 0o600 }));
      if (like) {
        chmodSync(partial, like.mode & 0o7777);
        if (like.uid !== statSync(partial).uid || like.gid !== statSync(partial).gid) chownSync(partial, like.uid, like.gid);
      }
      const check = await ctx.exec.run(['sqlite3', '-bail', partial, 'PRAGMA integrity_check;']);
      if (check.exitCode !== 0 || check.stdout.trim() !== 'ok')
        throw new OperationalError(`the restored SQLite file fails PRAGMA integrity_check: ${(check.stdout + check.stderr).trim()}`);
      await checkpoint(target, ctx);
      renameSync(partial, target);
    } finally {
      rmSync(partial, { force: true });
    }
  },
  async exists(db, name) {
    return existsSync(sqliteFile(db, name));
  },
  async createDatabase() {
    /* a file appears when restored */
  },
  async dropDatabase(db, name) {
    for (const suffix of SQLITE_SIDE_SUFFIXES) rmSync(`${sqliteFile(db, name)}${suffix}`, { force: true });
  },
  async query(db, name, sql, ctx) {
    return firstSqliteValue((await runChecked(ctx.exec, 'sqlite3 query', sqliteQueryArgv(sqliteFile(db, name), sql))).stdout);
  },
  async swap(db, from, keepAs) {
    const current = sqliteFile(db, db.database);
    // A hard link keeps the old file; the rename then replaces the name in one step.
    linkSync(current, sqliteFile(db, keepAs));
    renameSync(sqliteFile(db, from), current);
  },
};
