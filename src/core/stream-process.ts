import { spawn } from 'node:child_process';
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

/**
 * Spawns argv without a shell. `env` is added to the inherited environment, which is how passwords
 * (PGPASSWORD, MYSQL_PWD) reach the tools without ever appearing in argv.
 */
export function spawnStreaming(what: string, argv: readonly string[], env: Record<string, string> = {}): StreamProcess {
  const [file, ...args] = argv;
  if (!file) throw new Error('empty command');
  const child = spawn(file, args, { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-8192);
  });
  child.stdin.on('error', () => undefined);
  const done = new Promise<void>((resolve, reject) => {
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'ENOENT' ? new CommandError(what, 127, `${file} is not installed or not on PATH`) : error),
    );
    // Settled on exit once stderr is read, not on 'close': 'close' also waits for stdout, which a
    // failed pipeline may have stopped reading, and then neither settles nor keeps node alive.
    const stderrDone = new Promise<void>((done) => child.stderr.once('close', () => done()));
    child.on('exit', (code, signal) => {
      void stderrDone.then(() => {
        if (code === 0) resolve();
        else reject(new CommandError(what, code ?? 128, tail(stderr) || (signal ? `killed by ${signal}` : '')));
      });
    });
  });
  done.catch(() => undefined);
  return { stdin: child.stdin, stdout: child.stdout, done, kill: () => void child.kill('SIGKILL') };
}
