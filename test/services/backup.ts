import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { postgresBin, type PostgresServer } from './postgres.js';

/** A fresh directory for a local backup target. */
export function backupDir(): string {
  return mkdtempSync(join(tmpdir(), 'dk-backups-'));
}

/** Every file under a local target, relative to it, sorted. */
export function storedFiles(dir: string): string[] {
  const walk = (d: string): string[] =>
    existsSync(d) ? readdirSync(d).flatMap((name) => (statSync(join(d, name)).isDirectory() ? walk(join(d, name)) : [relative(dir, join(d, name))])) : [];
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

/** What a run printed, without the ::add-mask:: commands (they carry the secrets to the runner, which hides them). */
export function printed(run: { stdout: string; stderr: string }): string {
  return `${run.stdout}\n${run.stderr}`
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
}

/**
 * Stops a server from startPostgres: its stop() signals `runuser`, which does not pass SIGINT on,
 * so the postmaster is told directly with pg_ctl first.
 */
export async function stopPostgres(pg: PostgresServer | undefined): Promise<void> {
  if (!pg) return;
  const bin = postgresBin();
  if (bin) execFileSync('runuser', ['-u', 'postgres', '--', join(bin, 'pg_ctl'), 'stop', '-D', join(pg.dir, 'data'), '-m', 'fast', '-w'], { stdio: 'ignore' });
  await pg.stop();
}
