import { type ChildProcess, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { RunContext } from '../../core/action.js';
import { CommandError, OperationalError, tail } from '../../core/errors.js';
import type { DatabaseTarget } from '../../db/dump/url.js';

/** A throwaway database server on the runner: its own data directory, 127.0.0.1 on a free port, a random password. */
export interface ScratchServer {
  /** Connects to the server's maintenance database (postgres, mysql). */
  db: DatabaseTarget;
  /** What runs, for the log and the summary (`PostgreSQL 16 (/usr/lib/postgresql/16/bin)`). */
  label: string;
  /** Stops the server and removes its data directory. */
  stop(): Promise<void>;
}

/** Server binaries that can take the dump, or what is missing. */
export type ScratchPlan = { label: string; start(ctx: RunContext): Promise<ScratchServer> } | { missing: string };

/** A system user's uid/gid from /etc/passwd (servers refuse to run as root, so root runs them as postgres or mysql). */
function systemUser(name: string): { uid: number; gid: number } | undefined {
  if (!existsSync('/etc/passwd')) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`));
  const [, , uid, gid] = line?.split(':') ?? [];
  return uid && gid ? { uid: Number(uid), gid: Number(gid) } : undefined;
}

/** The user to run a server as: ourselves, or `name` when we are root. Undefined when root has no such user. */
export function serverUser(name: string): { uid: number; gid: number } | null | undefined {
  return process.getuid?.() === 0 ? systemUser(name) : null;
}

/**
 * A private directory (0700) for the server's data, socket and password file: under the run's temp dir,
 * or, when root runs the server as another user who cannot enter that dir, under the system's temp dir,
 * owned by that user.
 */
export function serverDir(tempDir: string, what: string, user: { uid: number; gid: number } | null): string {
  const dir = mkdtempSync(join(user ? tmpdir() : tempDir, `dk-verify-${what}-`));
  if (user) chownSync(dir, user.uid, user.gid);
  return dir;
}

function launch(argv: readonly string[], user: { uid: number; gid: number } | null): { child: ChildProcess; output: () => string } {
  const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], ...(user ? { uid: user.uid, gid: user.gid } : {}) });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString('utf8')).slice(-8192));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return { child, output: () => output };
}

/** Runs a setup program (initdb, mariadb-install-db) to the end. */
export function runOnce(what: string, argv: readonly string[], user: { uid: number; gid: number } | null): Promise<void> {
  const { child, output } = launch(argv, user);
  return new Promise((resolve, reject) => {
    child.once('error', (error) => reject(new OperationalError(`${what} could not start: ${error.message}`)));
    child.once('close', (code) => (code === 0 ? resolve() : reject(new CommandError(what, code ?? 128, tail(output())))));
  });
}

/**
 * Starts the server process and waits until `ready` answers (up to 90 s); `stop` sends `signal` (each
 * server's fast shutdown), waits for the exit (SIGKILL after 30 s) and removes `dir`.
 */
export async function startDaemon(
  what: string,
  argv: readonly string[],
  options: { user: { uid: number; gid: number } | null; dir: string; signal: NodeJS.Signals; ready: () => Promise<boolean> },
): Promise<() => Promise<void>> {
  const { child, output } = launch(argv, options.user);
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  child.once('error', () => undefined);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill(options.signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(options.dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await stop();
      throw new OperationalError(
        `the scratch ${what} server exited while starting:\n${tail(output())}`,
        'Use verify: server to verify on the database server instead.',
      );
    }
    if (await options.ready().catch(() => false)) return stop;
    if (Date.now() > deadline) {
      await stop();
      throw new OperationalError(`the scratch ${what} server did not accept connections within 90 s:\n${tail(output())}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
