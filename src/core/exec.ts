import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';

import { CommandError, tail, ToolNotFoundError } from './errors.js';

export interface ExecOptions {
  cwd?: string;
  /** Added to the inherited environment. */
  env?: Record<string, string>;
  stdin?: string | Buffer | Readable;
  timeoutMs?: number;
  /** Kills the command (SIGKILL) when aborted: a cancelled run stops its transfer at once. */
  signal?: AbortSignal;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs one program from an argv array; never through a shell. */
export interface Executor {
  run(argv: readonly string[], options?: ExecOptions): Promise<ExecResult>;
}

export const processExecutor: Executor = {
  run(argv, options = {}) {
    const [file, ...args] = argv;
    if (!file) return Promise.reject(new Error('empty command'));
    return new Promise((resolve, reject) => {
      const child = spawn(file, args, {
        cwd: options.cwd,
        env: options.env ? { ...process.env, ...options.env } : process.env,
        stdio: ['pipe', 'pipe', 'pipe'],
        timeout: options.timeoutMs,
        signal: options.signal,
        killSignal: 'SIGKILL',
      });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
      child.on('error', (error: NodeJS.ErrnoException) => {
        if (error.name === 'AbortError') return; // killed by the signal: 'close' reports it
        reject(error.code === 'ENOENT' ? new ToolNotFoundError(file) : error);
      });
      // Killed by the signal: resolve at its exit. An ssh multiplexed over a ControlMaster has handed
      // its stdio to the master, so its pipes stay open (no 'close') until the remote command ends.
      child.on('exit', (code) => {
        if (!options.signal?.aborted) return;
        child.stdout.destroy();
        child.stderr.destroy();
        resolve({ exitCode: code ?? 128 + 9, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
      });
      child.on('close', (code, signal) => {
        resolve({
          exitCode: code ?? (signal ? 128 + 9 : 1),
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8'),
        });
      });
      child.stdin.on('error', () => undefined);
      const { stdin } = options;
      if (stdin === undefined) child.stdin.end();
      else if (typeof stdin === 'string' || Buffer.isBuffer(stdin)) child.stdin.end(stdin);
      else stdin.pipe(child.stdin);
    });
  },
};

/** Returns the result, or throws a CommandError (exit code + last output lines) on a non-zero exit. */
export function checkResult(what: string, result: ExecResult): ExecResult {
  if (result.exitCode !== 0) throw new CommandError(what, result.exitCode, tail(`${result.stdout}\n${result.stderr}`));
  return result;
}

/** Runs and throws a CommandError (exit code + last output lines) on a non-zero exit. */
export async function runChecked(exec: Executor, what: string, argv: readonly string[], options?: ExecOptions): Promise<ExecResult> {
  return checkResult(what, await exec.run(argv, options));
}
