import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');

export interface BundleRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  state: Record<string, string>;
  summary: string;
  env: Record<string, string>;
  /** The main step's peak resident set (VmHWM) and wall time. */
  peakKb: number;
  ms: number;
}

/** Parses the runner's file-command format (`name<<DELIM\nvalue\nDELIM` or `name=value`). */
export function parseFileCommands(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc;
      const value: string[] = [];
      for (i += 1; i < lines.length && lines[i] !== delimiter; i += 1) value.push(lines[i]!);
      values[name!] = value.join('\n');
    } else if (line.includes('=')) {
      values[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return values;
}

export interface MeasuredRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  ms: number;
  peakKb: number;
}

/** Runs a program with exactly `env`, sampling its VmHWM (peak resident set) from /proc while it runs. */
export function runMeasured(argv: readonly string[], env: Record<string, string>, cwd = ROOT): Promise<MeasuredRun> {
  return new Promise((resolvePromise) => {
    const started = performance.now();
    const child = spawn(argv[0]!, argv.slice(1), { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let peakKb = 0;
    const timer = setInterval(() => {
      try {
        const hwm = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (hwm) peakKb = Math.max(peakKb, Number(hwm[1]));
      } catch {
        // exited between two samples
      }
    }, 20);
    child.on('close', (code) => {
      clearInterval(timer);
      resolvePromise({ exitCode: code ?? 1, stdout, stderr, ms: performance.now() - started, peakKb });
    });
  });
}

export interface RunOptions {
  env?: Record<string, string>;
  cwd?: string;
  /** Also run the post step with the saved state, as the runner does after the job. */
  post?: boolean;
}

/** The runner files and RUNNER_TEMP of every run in this test file; tests may read them after a run. */
const runDirs: string[] = [];

/** Removes every run's directories (the vitest setup calls it after each test file). */
export function removeRunDirs(): void {
  for (const dir of runDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** The runner's per-step files (GITHUB_OUTPUT, _STATE, _STEP_SUMMARY, _ENV, _PATH) and RUNNER_TEMP, removed by removeRunDirs. */
export function runnerFiles(): {
  dir: string;
  runnerTemp: string;
  files: { GITHUB_OUTPUT: string; GITHUB_STATE: string; GITHUB_STEP_SUMMARY: string; GITHUB_ENV: string; GITHUB_PATH: string };
} {
  const dir = mkdtempSync(join(tmpdir(), 'dk-runner-'));
  const runnerTemp = mkdtempSync(join(tmpdir(), 'dk-temp-'));
  runDirs.push(dir, runnerTemp);
  const files = {
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STATE: join(dir, 'state'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary'),
    GITHUB_ENV: join(dir, 'env'),
    GITHUB_PATH: join(dir, 'path'),
  };
  for (const file of Object.values(files)) writeFileSync(file, '');
  return { dir, runnerTemp, files };
}

/** A step as the runner starts it: its files, and the env with GITHUB_*, RUNNER_TEMP and one INPUT_<NAME> per input. */
export function runnerStep(
  inputs: Record<string, string>,
  options: { workspace?: string; env?: Record<string, string> } = {},
): ReturnType<typeof runnerFiles> & { env: Record<string, string> } {
  const step = runnerFiles();
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/root',
    // The bundle's own temp dirs (os.tmpdir()) go under the test file's scope too (test/setup.ts), not /tmp.
    ...(process.env.TMPDIR ? { TMPDIR: process.env.TMPDIR } : {}),
    GITHUB_ACTIONS: 'true',
    GITHUB_SHA: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_ACTOR: 'octocat',
    GITHUB_RUN_ID: '42',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_WORKSPACE: options.workspace ?? ROOT,
    RUNNER_TEMP: step.runnerTemp,
    ...step.files,
    ...options.env,
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  return { ...step, env };
}

/** Runs dist/<action>/index.js the way the Actions runner does: INPUT_* env and GITHUB_* file commands. */
export async function runBundle(action: string, inputs: Record<string, string>, options: RunOptions = {}): Promise<BundleRun> {
  const { files, env } = runnerStep(inputs, { workspace: options.cwd, env: options.env });
  const script = join(ROOT, 'dist', action, 'index.js');
  const main = await runMeasured([process.execPath, script], env, options.cwd ?? ROOT);
  const state = parseFileCommands(readFileSync(files.GITHUB_STATE, 'utf8'));
  let { stdout, stderr } = main;
  if (options.post) {
    const postEnv = { ...env };
    for (const [name, value] of Object.entries(state)) postEnv[`STATE_${name}`] = value;
    const post = await runMeasured([process.execPath, script], postEnv, options.cwd ?? ROOT);
    stdout += post.stdout;
    stderr += post.stderr;
  }
  return {
    exitCode: main.exitCode,
    stdout,
    stderr,
    outputs: parseFileCommands(readFileSync(files.GITHUB_OUTPUT, 'utf8')),
    state,
    summary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'),
    env,
    peakKb: main.peakKb,
    ms: main.ms,
  };
}

/** What a run printed, without the ::add-mask:: commands (they carry the secrets to the runner, which hides them). */
export function printed(run: { stdout: string; stderr: string }): string {
  return `${run.stdout}\n${run.stderr}`
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
}
