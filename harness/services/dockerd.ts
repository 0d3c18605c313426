import { execFile, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { freePort } from './ports.js';

const run = promisify(execFile);

/** A real Debian dockerd with its own data root and socket, started for one test file. */
export interface DockerEngine {
  /** `unix://…/docker.sock`: put it in DOCKER_HOST. */
  host: string;
  /** The environment for docker commands against this engine (DOCKER_HOST, a private DOCKER_CONFIG). */
  env: NodeJS.ProcessEnv;
  dir: string;
  /** Runs `docker <args>` against this engine and returns stdout. */
  docker(args: readonly string[], options?: { input?: string; cwd?: string }): Promise<string>;
  /** `docker swarm init` on 127.0.0.1 and a free port (a single-node swarm). */
  initSwarm(): Promise<void>;
  stop(): Promise<void>;
}

/** Whether dockerd and the docker CLI are installed (Debian's docker.io). */
export function dockerAvailable(): boolean {
  try {
    execFileSync('dockerd', ['--version'], { stdio: 'ignore' });
    execFileSync('docker', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts dockerd the way DESIGN.md says it runs on these machines: vfs storage, no iptables, no
 * bridge (containers use `--network host`), everything under one temp dir. The short socket path
 * keeps under the 108-byte limit of a Unix socket name.
 */
export async function startDockerd(timeoutMs = 60_000): Promise<DockerEngine> {
  const dir = mkdtempSync(join(tmpdir(), 'dk-docker-'));
  for (const sub of ['root', 'exec', 'config']) mkdirSync(join(dir, sub));
  writeFileSync(join(dir, 'config', 'config.json'), '{}\n');
  const socket = join(dir, 'docker.sock');
  const host = `unix://${socket}`;
  const log: string[] = [];
  const child = spawn(
    'dockerd',
    [
      '--data-root',
      join(dir, 'root'),
      '--exec-root',
      join(dir, 'exec'),
      '--pidfile',
      join(dir, 'docker.pid'),
      '-H',
      host,
      '--storage-driver',
      'vfs',
      '--iptables=false',
      '--ip-masq=false',
      '--bridge=none',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  child.stderr?.on('data', (chunk: Buffer) => {
    log.push(chunk.toString());
    if (log.length > 200) log.shift();
  });
  const env = { ...process.env, DOCKER_HOST: host, DOCKER_CONFIG: join(dir, 'config') };
  const docker = async (args: readonly string[], options: { input?: string; cwd?: string } = {}) => {
    const pending = run('docker', [...args], { env, cwd: options.cwd, maxBuffer: 64 * 1024 * 1024 });
    if (options.input !== undefined) {
      pending.child.stdin?.end(options.input);
    }
    const { stdout } = await pending;
    return stdout;
  };

  const stop = async () => {
    try {
      if (child.exitCode === null && child.signalCode === null) {
        await docker(['swarm', 'leave', '--force']).catch(() => undefined);
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        await exited;
        clearTimeout(timer);
      }
    } finally {
      unmountUnder(dir);
      rmSync(dir, { recursive: true, force: true });
    }
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`dockerd exited with ${child.exitCode}: ${log.join('').slice(-2000)}`);
    }
    try {
      await docker(['version', '--format', '{{.Server.Version}}']);
      break;
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`dockerd did not answer within ${timeoutMs} ms: ${log.join('').slice(-2000)}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  return {
    host,
    env,
    dir,
    docker,
    // The manager listens on a free port, not 2377: two test files' swarms can run side by side.
    initSwarm: async () => {
      const address = `127.0.0.1:${await freePort()}`;
      await docker(['swarm', 'init', '--listen-addr', address, '--advertise-addr', address]);
    },
    stop,
  };
}

/** dockerd leaves network-namespace and overlay mounts under its exec and data roots; unmount them before removing. */
export function unmountUnder(dir: string): void {
  let mounts: string[];
  try {
    mounts = execFileSync('findmnt', ['-rn', '-o', 'TARGET'], { encoding: 'utf8' })
      .split('\n')
      .filter((target) => target.startsWith(`${dir}/`))
      .sort((a, b) => b.length - a.length);
  } catch {
    return;
  }
  for (const target of mounts) {
    try {
      execFileSync('umount', ['-l', target], { stdio: 'ignore' });
    } catch {
      // already gone
    }
  }
  try {
    for (const name of readdirSync(join(dir, 'exec', 'netns'))) rmSync(join(dir, 'exec', 'netns', name), { force: true });
  } catch {
    // no netns dir
  }
}

/**
 * Builds a tiny HTTP image locally, `FROM scratch` with Debian's static busybox running `httpd` on
 * `port` (host networking) and serving `body` at /, with a HEALTHCHECK that fetches it. Returns the
 * build context dir (removed by the caller's engine.stop via dir) and the tag.
 */
export async function buildBusyboxImage(
  engine: DockerEngine,
  tag: string,
  options: { port: number; body: string; healthy?: boolean },
): Promise<void> {
  const context = mkdtempSync(join(engine.dir, 'ctx-'));
  execFileSync('cp', ['/bin/busybox', join(context, 'busybox')]);
  mkdirSync(join(context, 'www'));
  writeFileSync(join(context, 'www', 'index.html'), options.body);
  const healthPath = options.healthy === false ? '/missing' : '/';
  writeFileSync(
    join(context, 'Dockerfile'),
    [
      'FROM scratch',
      'COPY busybox /bin/busybox',
      'COPY www /www',
      `HEALTHCHECK --interval=1s --timeout=2s --retries=2 CMD ["/bin/busybox", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:${options.port}${healthPath}"]`,
      `CMD ["/bin/busybox", "httpd", "-f", "-p", "127.0.0.1:${options.port}", "-h", "/www"]`,
      '',
    ].join('\n'),
  );
  await engine.docker(['build', '-q', '-t', tag, context]);
  rmSync(context, { recursive: true, force: true });
}

/** Pushes a local tag to its registry and returns the pinned reference (`repo@sha256:…`) it got there. */
export async function pushPinned(engine: DockerEngine, tag: string): Promise<string> {
  await engine.docker(['push', '--quiet', tag]).catch(() => engine.docker(['push', tag]));
  const digests = JSON.parse(await engine.docker(['image', 'inspect', '--format', '{{json .RepoDigests}}', tag])) as string[];
  const repo = tag.replace(/:[^:/]+$/, '');
  const pinned = digests.find((ref) => ref.startsWith(`${repo}@`));
  if (!pinned) throw new Error(`no digest for ${tag} after the push: ${digests.join(', ')}`);
  return pinned;
}
