import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';

import type { PostContext, RunContext } from '../core/action.js';
import { CommandError, ConfigurationError, errorMessage, OperationalError, tail } from '../core/errors.js';
import { freeLocalPort } from '../core/ports.js';
import { shellCommand } from '../core/shell.js';
import { type SourceCommand, spawnStreaming, type StreamProcess } from '../core/stream-process.js';
import { type ConnectionConfig, prepareSsh, sshPost } from './connect.js';
import {
  cleanupSshDir,
  destination,
  diagnoseJumpHost,
  explainSshFailure,
  jumpHostHint,
  type SshFiles,
  sshOptions,
  withSshHint,
} from './session.js';
import { parseTarget, type SshTarget, targetLabel } from './target.js';

/** Where a forward ends on the far host: a TCP port or a Unix socket (OpenSSH forwards to both). */
export type RemoteEndpoint = { host: string; port: number } | { socket: string };

export interface Forward {
  /** The local end, on 127.0.0.1. */
  port: number;
  close(): Promise<void>;
}

/**
 * One pinned OpenSSH connection to the machine where the data lives (`source-host`): a ControlMaster
 * that carries the local forwards (`-O forward -L`) and the remote commands of dump-on: host, so there
 * is one TCP connection and one authentication for the whole run.
 */
export interface SourceSession {
  readonly label: string;
  /** Runs argv on the host with stdin/stdout streamed (bash without rc files; argv quoted by shellCommand). */
  spawn(what: string, argv: readonly string[]): StreamProcess;
  /** The same as a command to wire into a pipeline (its stdout straight into the next program's stdin). */
  command(what: string, argv: readonly string[]): SourceCommand;
  /** Runs argv on the host and returns its exit code and output. */
  run(argv: readonly string[]): Promise<{ exitCode: number; stdout: string; stderr: string }>;
  forward(remote: RemoteEndpoint): Promise<Forward>;
  /**
   * A forward whose local end is the Unix socket `name` in a new directory inside the run's private
   * (0700) one: no local port another user could reach, and no Nagle delay on ssh's local TCP socket
   * (OpenSSH does not set TCP_NODELAY on it: each small query of a client then waits ~40 ms).
   */
  forwardSocket(remote: RemoteEndpoint, name: string): Promise<{ path: string }>;
  close(): Promise<void>;
}

/** The state key of the source connection's files, separate from the storage target's (both may be open). */
export const STATE_SOURCE_SSH_DIR = 'source-ssh-dir';

/** `[user@]host[:port]` of source-host, checked like `hosts`. */
export function parseSourceHost(spec: string, user?: string): SshTarget {
  try {
    return parseTarget(spec, { user });
  } catch (error) {
    throw new ConfigurationError(`input "source-host": ${errorMessage(error)}`);
  }
}

/** The -L argument: local TCP port → remote TCP port or socket. */
export function forwardSpec(localPort: number | string, remote: RemoteEndpoint): string {
  const far = 'socket' in remote ? remote.socket : `${remote.host.includes(':') ? `[${remote.host}]` : remote.host}:${remote.port}`;
  return typeof localPort === 'string' ? `${localPort}:${far}` : `127.0.0.1:${localPort}:${far}`;
}

/** Opens the ControlMaster to `config.hosts[0]` (host key pinned as everywhere) and returns the session on it. */
export async function openSourceSession(config: Pick<ConnectionConfig, 'hosts' | 'auth'>, ctx: RunContext): Promise<SourceSession> {
  const target = config.hosts[0]!;
  const label = targetLabel(target);
  // prepareSsh records its directory under the storage target's state key too: open the source before the target.
  const files: SshFiles = await prepareSsh(config, ctx);
  ctx.state.save(STATE_SOURCE_SSH_DIR, files.dir);
  // The master lives until close (or the post step): a forward carries no session, so an idle timeout would drop it mid-run.
  // ClearAllForwardings=no (the first value of an option wins): the shared options clear forwards, and -O forward -L is one.
  const ssh = [
    'ssh',
    '-o',
    'ControlPersist=yes',
    '-o',
    'ClearAllForwardings=no',
    ...sshOptions(files, config.auth),
    '-p',
    String(target.port),
  ];
  const dest = destination(target);
  const remote = (argv: readonly string[]) => [...ssh, dest, shellCommand(argv)];
  const control = async (what: string, args: string[]) => {
    const result = await ctx.exec.run([...ssh, ...args, dest]);
    if (result.exitCode !== 0)
      throw new CommandError(
        `${what} on ${label}`,
        result.exitCode,
        tail(result.stderr),
        explainSshFailure(label, result.stderr, config.auth.jumpHost),
      );
  };
  const session: SourceSession = {
    label,
    spawn(what, argv) {
      const proc = spawnStreaming(`${what} on ${label}`, remote(argv));
      proc.done.catch(() => undefined);
      return { ...proc, done: proc.done.catch((error: unknown) => Promise.reject(withSshHint(error, label, config.auth.jumpHost))) };
    },
    command: (what, argv) => ({
      what: `${what} on ${label}`,
      argv: remote(argv),
      explain: (error) => withSshHint(error, label, config.auth.jumpHost),
    }),
    run: (argv) => ctx.exec.run(remote(argv)),
    async forward(endpoint) {
      // The free port is picked here and bound by the master; another process may take it in between, so a few tries.
      for (let attempt = 1; ; attempt += 1) {
        const port = await freeLocalPort();
        const spec = forwardSpec(port, endpoint);
        try {
          await control('port forward', ['-O', 'forward', '-L', spec]);
          return { port, close: () => control('closing the port forward', ['-O', 'cancel', '-L', spec]).catch(() => undefined) };
        } catch (error) {
          if (attempt >= 3) throw error;
        }
      }
    },
    async forwardSocket(endpoint, name) {
      const path = join(mkdtempSync(join(files.dir, 'fw-')), name);
      await control('socket forward', ['-O', 'forward', '-L', forwardSpec(path, endpoint)]);
      return { path };
    },
    async close() {
      await cleanupSshDir(ctx.exec, files.dir, ctx.logger);
    },
  };
  try {
    const check = await session.run(['true']);
    if (check.exitCode !== 0) {
      const jump = config.auth.jumpHost;
      const cause = jump && check.exitCode === 255 ? await diagnoseJumpHost(ctx.exec, files, config.auth) : undefined;
      throw new OperationalError(
        `cannot connect to source-host ${label}${cause ? `: ${cause}` : ''}: ${tail(check.stderr) || `exit ${check.exitCode}`}`,
        (cause && jump ? jumpHostHint(label, jump, true) : explainSshFailure(label, check.stderr, jump)) ??
          'Check source-host, ssh-key and known-hosts / host-fingerprint.',
      );
    }
  } catch (error) {
    await session.close();
    throw error;
  }
  ctx.logger.info(`connected to source-host ${label} (one pinned connection for every forward and remote command)`);
  return session;
}

/** Closes the source connection a main step left (killed before it could); never throws. */
export async function sourcePost(ctx: PostContext): Promise<void> {
  const dir = ctx.state.get(STATE_SOURCE_SSH_DIR);
  if (dir) await cleanupSshDir(ctx.exec, dir, ctx.logger);
}

/** The post step of an action with a source connection and an SSH target: closes both; never throws. */
export async function sourceAndTargetPost(ctx: PostContext): Promise<void> {
  await sourcePost(ctx);
  await sshPost(ctx);
}
