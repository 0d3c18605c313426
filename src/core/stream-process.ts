import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';

import { CommandError, tail } from './errors.js';

/** A child process whose stdin/stdout are streamed (dump tools, zstd, age); stderr is kept for errors. */
export interface StreamProcess {
  stdin: Writable;
  stdout: Readable;
  /** Resolves when it exits 0; rejects with a CommandError (exit code + stderr tail) otherwise. */
  done: Promise<void>;
  kill(): void;
}

/** A program to spawn (a dump tool, a compressor); `env` is added to the inherited environment (passwords go here, never in argv). */
export interface SourceCommand {
  what: string;
  argv: readonly string[];
  env?: Record<string, string>;
  /** Written to its stdin, which is then closed (the secrets a remote tool reads first); default: no stdin. */
  input?: string;
  /** Turns its failure into a better one (the SSH hint of a failed ssh). */
  explain?(error: unknown): unknown;
}

/** A child process whose stdout is another process's stdin (wired by the OS, no byte passes through node). */
export interface WiredProcess {
  /** Present when stdin is 'pipe'. */
  stdin?: Writable;
  done: Promise<void>;
  kill(): void;
}

/** Exit 0 resolves; anything else rejects with the exit code and the tail of stderr. */
function settled(what: string, file: string, child: ChildProcess): Promise<void> {
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-8192);
  });
  child.stdin?.on('error', () => undefined);
  const done = new Promise<void>((resolve, reject) => {
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'ENOENT' ? new CommandError(what, 127, `${file} is not installed or not on PATH`) : error),
    );
    // Settled on exit once stderr is read, not on 'close': 'close' also waits for stdout, which a
    // failed pipeline may have stopped reading, and then neither settles nor keeps node alive.
    const stderrDone = new Promise<void>((done) => child.stderr!.once('close', () => done()));
    child.on('exit', (code, signal) => {
      void stderrDone.then(() => {
        if (code === 0) resolve();
        else reject(new CommandError(what, code ?? 128, tail(stderr) || (signal ? `killed by ${signal}` : '')));
      });
    });
  });
  done.catch(() => undefined);
  return done;
}

function start(
  argv: readonly string[],
  env: Record<string, string>,
  stdio: [unknown, unknown, 'pipe'],
): { file: string; child: ChildProcess } {
  const [file, ...args] = argv;
  if (!file) throw new Error('empty command');
  // `stdio` holds 'pipe', 'ignore' or a stream with a file descriptor (spawn duplicates it into the child).
  const child = spawn(file, args, { env: { ...process.env, ...env }, stdio: stdio as ['pipe', 'pipe', 'pipe'] });
  return { file, child };
}

/**
 * Spawns argv without a shell. `env` is added to the inherited environment, which is how passwords
 * (PGPASSWORD, MYSQL_PWD) reach the tools without ever appearing in argv.
 */
export function spawnStreaming(what: string, argv: readonly string[], env: Record<string, string> = {}): StreamProcess {
  const { file, child } = start(argv, env, ['pipe', 'pipe', 'pipe']);
  return { stdin: child.stdin!, stdout: child.stdout!, done: settled(what, file, child), kill: () => void child.kill('SIGKILL') };
}

/**
 * Spawns argv with its stdout connected to `into` (the stdin of a process spawned before, see
 * spawnStreaming, or a file descriptor): the child writes straight into the other process. Node's own end of `into` is
 * closed here, so the other process sees end-of-file when this one exits.
 */
export function spawnInto(
  what: string,
  argv: readonly string[],
  into: Writable | number,
  options: { env?: Record<string, string>; stdin: 'pipe' | 'ignore' },
): WiredProcess {
  // A number is a file descriptor (a file opened for it): the child writes the file, node's copy is closed.
  const { file, child } = start(argv, options.env ?? {}, [options.stdin, into, 'pipe']);
  if (typeof into === 'number') closeSync(into);
  else into.destroy();
  return { stdin: child.stdin ?? undefined, done: settled(what, file, child), kill: () => void child.kill('SIGKILL') };
}

/** Runs a command whose stdout is the product (a dump), with nothing (or its `input`) on its stdin. */
export function dumpOf(command: SourceCommand): { stdout: Readable; done: Promise<void> } {
  const proc = spawnStreaming(command.what, command.argv, command.env);
  proc.stdin.end(command.input);
  return { stdout: proc.stdout, done: explained(command, proc.done) };
}

/** `done` with the command's own explanation of a failure. */
export function explained(command: SourceCommand, done: Promise<void>): Promise<void> {
  if (!command.explain) return done;
  const better = done.catch((error: unknown) => Promise.reject(command.explain!(error)));
  better.catch(() => undefined);
  return better;
}
