import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { unmountUnder } from './dockerd.js';
import { buildHostBinariesImage, type ContainerCli, HOST_BINARIES_IMAGE } from './pg-container.js';

const run = promisify(execFile);

/**
 * Rootful podman with everything under one temp dir: vfs storage, runc, cgroupfs, events in a file.
 * Its config reaches every podman of the test (and of the bundle under test) through
 * CONTAINERS_CONF / CONTAINERS_STORAGE_CONF, so the action's plain `podman exec` finds the same containers.
 */
export interface PodmanEngine extends ContainerCli {
  dir: string;
  /** CONTAINERS_CONF and CONTAINERS_STORAGE_CONF of this engine. */
  env: Record<string, string>;
  podman(args: readonly string[]): Promise<string>;
  /** Removes every container and image, then the directory. */
  stop(): Promise<void>;
}

/**
 * podman sets RLIMIT_NOFILE and RLIMIT_NPROC in every container (to 1048576 unless told); this
 * machine refuses a container init raising them, so they are set below the runner's own.
 */
const ULIMITS = ['nofile=4096:4096', 'nproc=4096:4096'];

function writeConfig(dir: string): Record<string, string> {
  for (const d of ['root', 'run', 'tmp']) mkdirSync(join(dir, d));
  const storage = join(dir, 'storage.conf');
  writeFileSync(storage, `[storage]\ndriver = "vfs"\ngraphroot = "${join(dir, 'root')}"\nrunroot = "${join(dir, 'run')}"\n`);
  const containers = join(dir, 'containers.conf');
  writeFileSync(
    containers,
    [
      '[containers]',
      `default_ulimits = [${ULIMITS.map((u) => `"${u}"`).join(', ')}]`,
      '[engine]',
      'runtime = "runc"',
      'cgroup_manager = "cgroupfs"',
      'events_logger = "file"',
      `events_logfile_path = "${join(dir, 'events.log')}"`,
      `tmp_dir = "${join(dir, 'tmp')}"`,
      '',
    ].join('\n'),
  );
  return { CONTAINERS_CONF: containers, CONTAINERS_STORAGE_CONF: storage };
}

function podmanEngine(): PodmanEngine {
  const dir = mkdtempSync(join(tmpdir(), 'dk-podman-'));
  const env = writeConfig(dir);
  const podman = async (args: readonly string[]) =>
    (await run('podman', [...args], { env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 })).stdout;
  return {
    dir,
    env,
    podman,
    cli: podman,
    async stop() {
      try {
        await podman(['rm', '-a', '-f', '-t', '0']).catch(() => undefined);
        await podman(['rmi', '-a', '-f']).catch(() => undefined);
      } finally {
        unmountUnder(dir);
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * Starts the engine and checks that it can run a container here: builds the host-binaries image
 * (kept for the test) and runs `true` in it. When it cannot, everything is removed and `problem` says
 * what failed.
 */
export async function startPodman(): Promise<{ engine: PodmanEngine; problem?: undefined } | { engine?: undefined; problem: string }> {
  try {
    execFileSync('podman', ['--version'], { stdio: 'ignore' });
  } catch {
    return { problem: 'podman is not installed' };
  }
  const engine = podmanEngine();
  try {
    await buildHostBinariesImage(engine);
    await engine.podman(['run', '--rm', '--network', 'host', '-v', '/usr:/usr:ro', HOST_BINARIES_IMAGE, 'true']);
    return { engine };
  } catch (error) {
    await engine.stop();
    const stderr = (error as { stderr?: string }).stderr?.trim();
    return { problem: `podman cannot run a container here: ${stderr || (error as Error).message}` };
  }
}
