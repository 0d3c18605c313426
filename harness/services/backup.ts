import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

/** A fresh directory for a local backup target. */
export function backupDir(): string {
  return mkdtempSync(join(tmpdir(), 'dk-backups-'));
}

/** Every file under a local target, relative to it, sorted. */
export function storedFiles(dir: string): string[] {
  const walk = (d: string): string[] =>
    existsSync(d)
      ? readdirSync(d).flatMap((name) => (statSync(join(d, name)).isDirectory() ? walk(join(d, name)) : [relative(dir, join(d, name))]))
      : [];
  return walk(dir).sort();
}

export function readManifestFile(dir: string, key: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(dir, `${key}.manifest.json`), 'utf8')) as Record<string, unknown>;
}

/** A throwaway age key pair from the Debian age-keygen. */
export function ageKeyPair(): { identity: string; recipient: string } {
  const identity = execFileSync('age-keygen', { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const recipient = execFileSync('age-keygen', ['-y'], { input: identity, encoding: 'utf8' }).trim();
  return { identity, recipient };
}

/** Runs SQL on a SQLite file with the sqlite3 CLI, stopping at the first error; returns its output. */
export function sqlite(file: string, sql: string): string {
  return execFileSync('sqlite3', ['-bail', file, sql], { encoding: 'utf8' });
}
