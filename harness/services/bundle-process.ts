import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { parseFileCommands, ROOT, runnerStep } from './runner.js';

export interface ProcessResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** A main step of dist/<action>/index.js running as the runner runs it, that a test can signal mid-way. */
export interface BundleProcess {
  child: ChildProcess;
  /** Everything printed so far. */
  output(): string;
  /** SIGINT (or SIGTERM) to the step's process only, as the runner cancels a step. */
  signal(name: NodeJS.Signals): void;
  /** SIGKILL to the whole process tree (its own process group), as the runner does last. */
  killTree(): void;
  done: Promise<ProcessResult>;
  /** The post step with the state the main step saved. */
  runPost(): Promise<ProcessResult>;
  state(): Record<string, string>;
  /** Closes ControlMasters the run left and removes its runner directories. */
  cleanup(): void;
}

function run(
  argv: string[],
  env: Record<string, string>,
  detached: boolean,
): { child: ChildProcess; output: () => string; done: Promise<ProcessResult> } {
  const started = performance.now();
  const child = spawn(argv[0]!, argv.slice(1), { env, cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<ProcessResult>((resolve) =>
    child.on('close', (exitCode, signal) => resolve({ exitCode, signal, stdout, stderr, ms: performance.now() - started })),
  );
  return { child, output: () => `${stdout}\n${stderr}`, done };
}

export function startBundle(action: string, inputs: Record<string, string>, extraEnv: Record<string, string> = {}): BundleProcess {
  const { dir, runnerTemp, files, env } = runnerStep(inputs, { env: extraEnv });
  const script = join(ROOT, 'dist', action, 'index.js');
  const main = run([process.execPath, script], env, true);
  const state = () => parseFileCommands(readFileSync(files.GITHUB_STATE, 'utf8'));
  return {
    child: main.child,
    output: main.output,
    signal: (name) => main.child.kill(name),
    killTree: () => {
      try {
        process.kill(-main.child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    },
    done: main.done,
    state,
    async runPost() {
      const postEnv = { ...env };
      for (const [name, value] of Object.entries(state())) postEnv[`STATE_${name}`] = value;
      return run([process.execPath, script], postEnv, false).done;
    },
    cleanup() {
      for (const sub of existsSync(runnerTemp) ? readdirSync(runnerTemp) : []) {
        const sshDir = join(runnerTemp, sub);
        for (const name of existsSync(sshDir) ? readdirSync(sshDir) : []) {
          if (!name.startsWith('cm-')) continue;
          try {
            execFileSync('ssh', ['-F', '/dev/null', '-o', `ControlPath=${join(sshDir, name)}`, '-O', 'exit', 'x'], { stdio: 'ignore' });
          } catch {
            // no master behind it
          }
        }
      }
      rmSync(dir, { recursive: true, force: true });
      rmSync(runnerTemp, { recursive: true, force: true });
    },
  };
}

/** Polls until `check` holds (a phase has been reached), up to `timeoutMs`. */
export async function waitFor(what: string, check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
