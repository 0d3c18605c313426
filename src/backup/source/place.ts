import type { RunContext } from '../../core/action.js';
import type { ExecResult } from '../../core/exec.js';
import { shellQuote } from '../../core/shell.js';
import { type SourceCommand, spawnStreaming, type StreamProcess } from '../../core/stream-process.js';
import type { SourceSession } from '../../ssh/forward.js';

/**
 * Where a dump or restore tool runs: on the runner, on source-host (over the pinned connection), or
 * inside a container on either. Secrets (PGPASSWORD, MYSQL_PWD) never enter argv: on the runner they
 * are the child's environment; remotely they are the first lines of stdin, read by ENV_READER.
 */
export interface Place {
  readonly label: string;
  /** Spawns argv with `env`; the caller writes the tool's stdin (restore) or ends it (dump). */
  spawn(what: string, argv: readonly string[], env: Record<string, string>): StreamProcess;
  /** The same as a command for a pipeline to spawn (a dump whose stdout goes straight into zstd). */
  command(what: string, argv: readonly string[], env: Record<string, string>): SourceCommand;
  /** Runs argv (no secrets) and returns its result. */
  run(argv: readonly string[]): Promise<ExecResult>;
}

/**
 * Reads `NAME=<base64 value>` lines up to an empty line from stdin, exports them, then execs the
 * tool with the rest of stdin. `read` takes one byte at a time from a pipe, so nothing past the
 * empty line is consumed.
 */
export const ENV_READER =
  'while IFS= read -r kv && [ -n "$kv" ]; do export "${kv%%=*}=$(printf %s "${kv#*=}" | base64 -d)"; done; exec "$@"';

export function envPrelude(env: Record<string, string>): string {
  return `${Object.entries(env)
    .map(([name, value]) => `${name}=${Buffer.from(value, 'utf8').toString('base64')}\n`)
    .join('')}\n`;
}

/** The argv run on the host: bash without rc files, reading the secrets, then the tool. */
export function remoteToolArgv(argv: readonly string[]): string[] {
  return ['bash', '--noprofile', '--norc', '-c', ENV_READER, 'bash', ...argv];
}

export function runnerPlace(ctx: RunContext): Place {
  return {
    label: 'the runner',
    spawn: (what, argv, env) => spawnStreaming(what, argv, env),
    command: (what, argv, env) => ({ what, argv, env }),
    run: (argv) => ctx.exec.run(argv).catch((error: Error) => ({ exitCode: 127, stdout: '', stderr: error.message })),
  };
}

export function hostPlace(session: SourceSession): Place {
  return {
    label: session.label,
    spawn(what, argv, env) {
      const proc = session.spawn(what, remoteToolArgv(argv));
      proc.stdin.write(envPrelude(env));
      return proc;
    },
    command: (what, argv, env) => ({ ...session.command(what, remoteToolArgv(argv)), input: envPrelude(env) }),
    run: (argv) => session.run(argv),
  };
}

/** `docker exec -i` or `docker compose -p <project> exec -T <service>`; podman where docker is absent. */
export interface ContainerRef {
  container: string;
  project?: string;
}

/** The engine CLI is chosen on the machine itself: docker if it is there, else podman (like mode: compose). */
export function containerArgv(ref: ContainerRef, envNames: readonly string[], argv: readonly string[]): string[] {
  const env = envNames.flatMap((name) => ['-e', name]);
  const service = ref.container.startsWith('compose:') ? ref.container.slice('compose:'.length) : undefined;
  const pick = 'if command -v docker >/dev/null 2>&1; then e=docker; else e=podman; fi';
  const exec = service ? `exec "$e" compose -p ${shellQuote(ref.project ?? '')} exec -T` : `exec "$e" exec -i`;
  const target = service ?? ref.container;
  return ['sh', '-c', `${pick}; ${exec} "$@"`, 'sh', ...env, target, ...argv];
}

/** Runs the tools inside a container on `outer` (the runner or source-host); `-e NAME` hands the secrets on from the exec's environment. */
export function containerPlace(outer: Place, ref: ContainerRef): Place {
  return {
    label: `container ${ref.container}${ref.project && ref.container.startsWith('compose:') ? ` (project ${ref.project})` : ''} on ${outer.label}`,
    spawn: (what, argv, env) => outer.spawn(what, containerArgv(ref, Object.keys(env), argv), env),
    command: (what, argv, env) => outer.command(what, containerArgv(ref, Object.keys(env), argv), env),
    run: (argv) => outer.run(containerArgv(ref, [], argv)),
  };
}
