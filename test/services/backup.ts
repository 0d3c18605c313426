import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ROOT, parseFileCommands } from './runner.js';

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

/** Runs a command, sampling its VmHWM (peak resident set) from /proc while it runs. */
export function measure(argv: string[], env: Record<string, string>): Promise<{ ms: number; peakKb: number; code: number; stderr: string }> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(argv[0]!, argv.slice(1), { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d: Buffer) => (stderr += d.toString()));
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let peakKb = 0;
    const timer = setInterval(() => {
      try {
        const hwm = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (hwm) peakKb = Math.max(peakKb, Number(hwm[1]));
      } catch {
        /* exited */
      }
    }, 20);
    child.on('close', (code) => {
      clearInterval(timer);
      resolve({ ms: performance.now() - started, peakKb, code: code ?? 1, stderr });
    });
  });
}

/**
 * Runs dist/<action>/index.js as runBundle does (INPUT_* env, GITHUB_* files) and also reports the
 * process's peak RSS, for memory bounds.
 */
export async function runBundleMeasured(action: string, inputs: Record<string, string>): Promise<{ code: number; peakKb: number; ms: number; stderr: string; outputs: Record<string, string> }> {
  const runner = mkdtempSync(join(tmpdir(), 'dk-runner-'));
  const files = { GITHUB_OUTPUT: join(runner, 'output'), GITHUB_STATE: join(runner, 'state'), GITHUB_STEP_SUMMARY: join(runner, 'summary'), GITHUB_ENV: join(runner, 'env') };
  for (const file of Object.values(files)) writeFileSync(file, '');
  const env: Record<string, string> = { ...files, RUNNER_TEMP: runner, GITHUB_WORKSPACE: ROOT };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  const result = await measure([process.execPath, join(ROOT, 'dist', action, 'index.js')], env);
  return { ...result, outputs: parseFileCommands(readFileSync(files.GITHUB_OUTPUT, 'utf8')) };
}
