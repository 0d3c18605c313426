import { join } from 'node:path';

import { ConfigurationError } from '../core/errors.js';

/**
 * Command builders for the three image builders: each returns argv arrays (and the env they need),
 * so the exact commands are table-tested and one executor runs them.
 */

export type BuilderName = 'docker' | 'buildah' | 'podman';

export interface BuildSpec {
  context: string;
  file?: string;
  /** Full references `repo:tag`; the first one names the local image. */
  refs: readonly string[];
  labels: Readonly<Record<string, string>>;
  buildArgs: Readonly<Record<string, string>>;
  /** Build secrets already written to 0600 files. */
  secrets: readonly { id: string; path: string }[];
  target?: string;
  platforms: readonly string[];
  push: boolean;
  tlsVerify: boolean;
  cacheFrom: readonly string[];
  cacheTo: readonly string[];
  /** A private directory for the credentials file and the id/digest files. */
  workDir: string;
  /** Whether loginCommand ran (the credentials file exists). */
  loggedIn: boolean;
  /** docker only: whether the buildx plugin answered; without it `docker build` + `docker push` run. */
  buildx: boolean;
  /** Networking mode for RUN steps (`host`, `none`), as build-push-action's `network`. */
  network?: string;
}

export interface Command {
  argv: string[];
  env?: Record<string, string>;
  stdin?: string;
}

export interface Login {
  registry: string;
  username: string;
  password: string;
}

/** Where the registry credentials live for this run: a file under workDir, removed on logout. */
export function credentialPath(builder: BuilderName, workDir: string): string {
  return builder === 'docker' ? join(workDir, 'docker-config') : join(workDir, 'auth.json');
}

function credentialEnv(builder: BuilderName, workDir: string): Record<string, string> | undefined {
  // DOCKER_CONFIG moves the whole docker config (with config.json) into the private directory.
  return builder === 'docker' ? { DOCKER_CONFIG: credentialPath(builder, workDir) } : undefined;
}

function authFlags(builder: BuilderName, spec: BuildSpec): string[] {
  return [...(spec.loggedIn ? ['--authfile', credentialPath(builder, spec.workDir)] : []), ...tlsFlag(builder, spec.tlsVerify)];
}

function tlsFlag(builder: BuilderName, tlsVerify: boolean): string[] {
  return builder !== 'docker' && !tlsVerify ? ['--tls-verify=false'] : [];
}

/** A registry host with an optional port (`ghcr.io`, `127.0.0.1:5000`); anything else could become an option. */
export function validateRegistry(registry: string): string {
  if (!/^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*(?::\d{1,5})?$/i.test(registry))
    throw new ConfigurationError(
      `input "registry": expected a host[:port] such as ghcr.io or 127.0.0.1:5000, got ${JSON.stringify(registry)}`,
    );
  return registry;
}

export function loginCommand(builder: BuilderName, login: Login, workDir: string, tlsVerify: boolean): Command {
  validateRegistry(login.registry);
  const auth = builder === 'docker' ? [] : ['--authfile', credentialPath(builder, workDir)];
  return {
    argv: [
      builder,
      'login',
      ...auth,
      ...tlsFlag(builder, tlsVerify),
      '--username',
      login.username,
      '--password-stdin',
      '--',
      login.registry,
    ],
    env: credentialEnv(builder, workDir),
    stdin: login.password,
  };
}

/** Detection probes, in the order `builder: auto` tries them. */
export const PROBES: readonly { builder: BuilderName; argv: string[] }[] = [
  // A docker client alone is not enough: the daemon must answer.
  { builder: 'docker', argv: ['docker', 'version', '--format', '{{.Server.Version}}'] },
  { builder: 'buildah', argv: ['buildah', '--version'] },
  { builder: 'podman', argv: ['podman', '--version'] },
];

/** Whether the docker CLI has the buildx plugin (run with the private DOCKER_CONFIG, which links the user's cli-plugins). */
export function buildxProbe(workDir: string): Command {
  return { argv: ['docker', 'buildx', 'version'], env: credentialEnv('docker', workDir) };
}

export const idFile = (workDir: string) => join(workDir, 'iid');
export const digestFile = (workDir: string, index: number) => join(workDir, `digest-${index}`);
export const metadataFile = (workDir: string) => join(workDir, 'metadata.json');

function commonBuildFlags(spec: BuildSpec): string[] {
  const args: string[] = [];
  if (spec.file) args.push('--file', spec.file);
  if (spec.target) args.push('--target', spec.target);
  if (spec.network) args.push('--network', spec.network);
  if (spec.platforms.length > 0) args.push('--platform', spec.platforms.join(','));
  for (const [k, v] of Object.entries(spec.labels)) args.push('--label', `${k}=${v}`);
  for (const [k, v] of Object.entries(spec.buildArgs)) args.push('--build-arg', `${k}=${v}`);
  for (const s of spec.secrets) args.push('--secret', `id=${s.id},src=${s.path}`);
  return args;
}

export function buildCommand(builder: BuilderName, spec: BuildSpec): Command {
  if (builder === 'docker' && spec.buildx) {
    const argv = ['docker', 'buildx', 'build', ...commonBuildFlags(spec)];
    for (const c of spec.cacheFrom) argv.push('--cache-from', c);
    for (const c of spec.cacheTo) argv.push('--cache-to', c);
    for (const ref of spec.refs) argv.push('--tag', ref);
    argv.push('--iidfile', idFile(spec.workDir), '--metadata-file', metadataFile(spec.workDir));
    // A multi-platform image cannot be loaded into the local image store; it is only pushed.
    if (spec.push) argv.push('--push');
    else if (spec.platforms.length <= 1) argv.push('--load');
    argv.push('--', spec.context);
    return { argv, env: credentialEnv(builder, spec.workDir) };
  }
  if (builder === 'docker') {
    // Without buildx: the classic builder, or BuildKit when DOCKER_BUILDKIT=1 (docker 20.10's CLI has it built in).
    const argv = ['docker', 'build', ...commonBuildFlags(spec), ...spec.refs.flatMap((ref) => ['--tag', ref])];
    argv.push('--iidfile', idFile(spec.workDir), '--', spec.context);
    return { argv, env: credentialEnv(builder, spec.workDir) };
  }
  const argv = [builder, 'build', ...commonBuildFlags(spec), ...authFlags(builder, spec)];
  if (spec.platforms.length > 1) argv.push('--manifest', spec.refs[0]!);
  else for (const ref of spec.refs) argv.push('--tag', ref);
  argv.push('--iidfile', idFile(spec.workDir), '--', spec.context);
  return { argv };
}

/** buildah/podman push each reference, and so does docker without buildx (buildx pushes during the build). */
export function pushCommands(builder: BuilderName, spec: BuildSpec): Command[] {
  if (!spec.push || (builder === 'docker' && spec.buildx)) return [];
  if (builder === 'docker')
    return spec.refs.map((ref) => ({ argv: ['docker', 'push', '--', ref], env: credentialEnv(builder, spec.workDir) }));
  const auth = authFlags(builder, spec);
  const local = spec.refs[0]!;
  const push = spec.platforms.length > 1 ? [builder, 'manifest', 'push', '--all'] : [builder, 'push'];
  return spec.refs.map((ref, index) => ({
    argv: [...push, ...auth, '--digestfile', digestFile(spec.workDir, index), '--', local, `docker://${ref}`],
  }));
}

/** The manifest digest `docker push` reports on its last line (`main: digest: sha256:… size: 735`). */
export function pushedDigest(output: string): string | undefined {
  return [...output.matchAll(/\bdigest: (sha256:[0-9a-f]{64})\b/g)].at(-1)?.[1];
}

/** The registry host of a repository (`ghcr.io/a/b` → ghcr.io; `acme/app` → docker.io), as docker resolves it. */
export function registryOf(repository: string): string {
  const first = repository.split('/')[0]!;
  return repository.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost') ? first : 'docker.io';
}
