import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildBusyboxImage, dockerAvailable, type DockerEngine, pushPinned, startDockerd } from '../../harness/services/dockerd.js';
import { freePort } from '../../harness/services/ports.js';
import { type Registry, startRegistry } from '../../harness/services/registry.js';
import { releaseRoot } from '../../harness/services/release-root.js';
import { type BundleRun, runBundle } from '../../harness/services/runner.js';
import { ensureUser, type SshServer, startSshd } from '../../harness/services/sshd.js';
import { makeSource } from '../../harness/services/versioned-app.js';

/**
 * mode: swarm against a real Docker engine (Debian's dockerd, vfs, no bridge) in a real single-node
 * swarm, over a real sshd. The deploy user is in the `docker` group, as the docs ask; sshd's
 * SetEnv gives its sessions this engine's DOCKER_HOST (on a real manager it is the default socket).
 * Images are busybox httpd on a host-network port, pushed to a local registry to get digests.
 * The stack uses `order: stop-first`: on one node with host networking two tasks cannot bind one
 * port, and start-first's gapless switch needs the routing mesh (IPVS), which this kernel lacks.
 */

const USER = 'dkswarm';
const STACK = 'shop';
const available = dockerAvailable();
let engine: DockerEngine;
let registry: Registry;
let sshd: SshServer;
let home: string;
let port: number;
const images: Record<string, string> = {};
/** Every convergence wait the runs logged: [scenario, line]. */
const waits: [string, string][] = [];
const root = `swarm-${process.pid}`;
const deployRoot = () => releaseRoot(join(home, root));

function stackFile(image: string, failureAction?: string): string {
  return [
    'version: "3.8"',
    'services:',
    '  web:',
    `    image: ${image}`,
    '    env_file: .env',
    '    networks: [hostnet]',
    // busybox httpd as PID 1 ignores SIGTERM: without this every stop-first update waits the 10s default.
    '    stop_grace_period: 2s',
    '    deploy:',
    '      replicas: 1',
    '      update_config:',
    '        order: stop-first',
    '        monitor: 3s',
    ...(failureAction ? [`        failure_action: ${failureAction}`] : []),
    '      rollback_config:',
    '        order: stop-first',
    'networks:',
    '  hostnet:',
    '    external: true',
    '    name: host',
    '',
  ].join('\n');
}

const release = (version: string, file = stackFile(images[version] ?? version)) =>
  makeSource({ 'compose.yaml': file, '.env': `APP_VERSION=${version}\n` });

function inputs(extra: Record<string, string> = {}): Record<string, string> {
  return {
    hosts: `${USER}@127.0.0.1:${sshd.port}`,
    'ssh-key': sshd.privateKey,
    'known-hosts': sshd.knownHosts,
    path: root,
    mode: 'swarm',
    stack: STACK,
    'health-url': `http://127.0.0.1:${port}/`,
    'health-timeout': '150s',
    ...extra,
  };
}

async function run(scenario: string, action: string, values: Record<string, string>): Promise<BundleRun> {
  const result = await runBundle(action, values);
  for (const line of result.stdout.split('\n')) if (/stack \S+ (converged|failed) on /.test(line)) waits.push([scenario, line.trim()]);
  return result;
}

async function serviceImage(): Promise<string> {
  return (await engine.docker(['service', 'inspect', `${STACK}_web`, '--format', '{{.Spec.TaskTemplate.ContainerSpec.Image}}'])).trim();
}

/** The images of the tasks Swarm wants running and that run. */
async function runningImages(): Promise<string[]> {
  const out = await engine.docker([
    'service',
    'ps',
    `${STACK}_web`,
    '--filter',
    'desired-state=running',
    '--no-trunc',
    '--format',
    '{{.Image}} {{.CurrentState}}',
  ]);
  return out
    .trim()
    .split('\n')
    .filter((line) => / Running /.test(line))
    .map((line) => line.split(' ')[0]!);
}

async function page(): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}/`);
  return response.text();
}

beforeAll(async () => {
  if (!available) return;
  home = ensureUser(USER);
  execFileSync('flock', [join(tmpdir(), 'deploy-kit-test-users.lock'), 'usermod', '-aG', 'docker', USER]);
  engine = await startDockerd();
  // The socket is root:docker 0660; the deploy user needs to reach it through the engine's dir.
  chmodSync(engine.dir, 0o711);
  await engine.initSwarm();
  registry = await startRegistry();
  port = await freePort();
  for (const [version, healthy] of [
    ['v1', true],
    ['v2', true],
    ['v3', false],
  ] as const) {
    const tag = `${registry.host}/acme/web:${version}`;
    await buildBusyboxImage(engine, tag, { port, body: `hello from ${version}\n`, healthy });
    images[version] = await pushPinned(engine, tag);
  }
  // A digest the registry has never seen: the node cannot pull it.
  images.v4 = `${registry.host}/acme/web@sha256:${'0'.repeat(64)}`;
  sshd = await startSshd({ config: [`SetEnv DOCKER_HOST=${engine.host}`] });
}, 300_000);

afterAll(async () => {
  await sshd?.stop();
  await engine?.stop();
  await registry?.stop();
  if (waits.length > 0) console.log(`convergence waits:\n${waits.map(([s, l]) => `  ${s}: ${l}`).join('\n')}`);
}, 120_000);

describe.skipIf(!available)('backend mode swarm on a real engine', () => {
  it('first deploy on the first reachable manager: the stack runs the pinned digest, outputs name the stack and its services', async () => {
    // The first manager in hosts does not answer: the next one is used.
    const hosts = `${USER}@127.0.0.1:${await freePort()}, ${USER}@127.0.0.1:${sshd.port}`;
    const result = await run(
      'first deploy (v1)',
      'backend',
      inputs({ source: release('v1'), 'release-id': 'r1', 'health-expect': 'v1', hosts }),
    );
    expect(result.exitCode, result.stdout).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`swarm: using manager ${USER}@127.0.0.1:${sshd.port}; skipped ${USER}@127.0.0.1:\\d+: `));
    expect(await serviceImage()).toBe(images.v1);
    expect(await runningImages()).toEqual([images.v1]);
    expect(await page()).toContain('hello from v1');
    expect(result.outputs).toMatchObject({ release: 'r1', stack: STACK });
    expect(JSON.parse(result.outputs.services!)).toEqual({
      web: { image: images.v1, digest: images.v1!.split('@')[1], running: 1, desired: 1 },
    });
    expect(deployRoot().current()).toBe('releases/r1');
    // The deployed file is the user's with swarm-defaults filled in where the service left them out.
    const deployed = readFileSync(join(home, root, 'releases/r1/.deploy-kit-stack.yaml'), 'utf8');
    expect(deployed).toMatch(/failure_action: rollback/);
    expect(deployed).toMatch(/order: stop-first/);
    const env = await engine.docker(['service', 'inspect', `${STACK}_web`, '--format', '{{json .Spec.TaskTemplate.ContainerSpec.Env}}']);
    expect(env).toContain('APP_VERSION=v1');
  }, 240_000);

  it('redeploy to v2 rolls the service to the new digest', async () => {
    const result = await run('redeploy (v1 → v2)', 'backend', inputs({ source: release('v2'), 'release-id': 'r2', 'health-expect': 'v2' }));
    expect(result.exitCode, result.stdout).toBe(0);
    expect(result.outputs['previous-release']).toBe('r1');
    expect(await runningImages()).toEqual([images.v2]);
    expect(await page()).toContain('hello from v2');
    expect(deployRoot().current()).toBe('releases/r2');
  }, 240_000);

  it('v3 whose healthcheck fails: the step fails, Swarm rolls back by itself, current is v2 and history says why', async () => {
    const result = await run('v3 failing healthcheck', 'backend', inputs({ source: release('v3'), 'release-id': 'r3' }));
    expect(result.exitCode).not.toBe(0);
    expect(result.stdout).toMatch(/did not converge on r3/);
    expect(result.stdout).toMatch(/Swarm rolled back web by itself/);
    expect(result.stdout).toMatch(/its stack file is not deployed a second time/);
    expect(result.stdout).not.toMatch(/docker stack deploy shop of r2/);
    expect(await serviceImage()).toBe(images.v2);
    expect(await runningImages()).toEqual([images.v2]);
    expect(await page()).toContain('hello from v2');
    expect(deployRoot().current()).toBe('releases/r2');
    const last = deployRoot().history().at(-1)!;
    expect(last).toMatchObject({ event: 'revert', release: 'r2', previous: 'r3' });
    expect(last.reason).toMatch(/rolled the update back by itself/);
  }, 240_000);

  it('v4 whose image cannot be pulled, with failure_action pause: the kit deploys v2 again itself', async () => {
    const result = await run(
      'v4 unpullable (pause)',
      'backend',
      inputs({ source: release('v4', stackFile(images.v4!, 'pause')), 'release-id': 'r4' }),
    );
    expect(result.exitCode).not.toBe(0);
    expect(result.stdout).toMatch(/did not converge on r4: web: the update is paused/);
    // The runner's ::error:: line carries the message's newlines as %0A.
    expect(result.stdout).toMatch(
      /failed tasks \(docker service ps --no-trunc\):(%0A|\n)web\.1 \(\S+sha256:0{64}\): rejected: No such image/,
    );
    expect(result.stdout).toMatch(/docker stack deploy shop of r2/);
    expect(await serviceImage()).toBe(images.v2);
    expect(await runningImages()).toEqual([images.v2]);
    expect(deployRoot().current()).toBe('releases/r2');
    expect(deployRoot().history().at(-1)).toMatchObject({ event: 'revert', release: 'r2', previous: 'r4' });
  }, 300_000);

  it('rollback to previous, then to a named release', async () => {
    const { source: _source, ...rest } = inputs();
    const back = await run('rollback to previous (r2 → r1)', 'rollback', rest);
    expect(back.exitCode, back.stdout).toBe(0);
    expect(back.outputs).toMatchObject({ release: 'r1', 'previous-release': 'r2', stack: STACK });
    expect(JSON.parse(back.outputs.services!).web).toMatchObject({ image: images.v1, running: 1 });
    expect(await runningImages()).toEqual([images.v1]);
    expect(deployRoot().current()).toBe('releases/r1');
    const named = await run('rollback to r2 (r1 → r2)', 'rollback', { ...rest, to: 'r2', 'health-expect': 'v2' });
    expect(named.exitCode, named.stdout).toBe(0);
    expect(named.outputs).toMatchObject({ release: 'r2', 'previous-release': 'r1' });
    expect(await runningImages()).toEqual([images.v2]);
    expect(
      deployRoot()
        .history()
        .slice(-2)
        .map((h) => [h.event, h.release]),
    ).toEqual([
      ['rollback', 'r1'],
      ['rollback', 'r2'],
    ]);
  }, 300_000);

  it('the deploy lock keeps a concurrent deploy out', async () => {
    const [a, b] = await Promise.all([
      run('concurrent deploy A (v1)', 'backend', inputs({ source: release('v1'), 'release-id': 'r5', 'lock-wait': '2s' })),
      run('concurrent deploy B (v1)', 'backend', inputs({ source: release('v1'), 'release-id': 'r6', 'lock-wait': '2s' })),
    ]);
    const [winner, loser] = a.exitCode === 0 ? [a, b] : [b, a];
    expect(winner.exitCode, winner.stdout).toBe(0);
    expect(loser.exitCode).not.toBe(0);
    expect(loser.stdout).toMatch(/the deploy lock is held by another run/);
    expect(deployRoot().current()).toBe(`releases/${winner.outputs.release}`);
    expect(deployRoot().releases()).not.toContain(loser.outputs.release);
    expect(await runningImages()).toEqual([images.v1]);
  }, 300_000);

  it('a failed first deploy of a stack: the step fails with the task errors, current is removed, the stack is left for inspection', async () => {
    const first = `swarm-first-${process.pid}`;
    // v3 on the port shop's web already holds: its task fails at once (no previous spec to roll back to).
    const result = await run('first deploy that fails (new stack)', 'backend', {
      ...inputs({ source: release('v3'), 'release-id': 'f1', path: first, stack: 'broken' }),
      'health-url': '',
    });
    expect(result.exitCode).not.toBe(0);
    expect(result.stdout).toMatch(/stack broken did not converge on f1: web: \d+ task\(s\) of \S+ failed/);
    expect(result.stdout).toMatch(/failed tasks \(docker service ps --no-trunc\):(%0A|\n)web\.1 /);
    expect(result.stdout).toMatch(/it is left as it is for inspection \(docker stack rm broken removes it\)/);
    expect(existsSync(join(home, first, 'current'))).toBe(false);
    expect(releaseRoot(join(home, first)).history().at(-1)).toMatchObject({ event: 'revert', previous: 'f1' });
    await engine.docker(['stack', 'rm', 'broken']);
    expect(await page()).toContain('hello from v1');
  }, 240_000);

  it('refuses hostile stack names, unpinned images and build: before anything remote', async () => {
    const fresh = `swarm-refused-${process.pid}`;
    const cases: [Record<string, string>, RegExp][] = [
      [{ stack: 'shop; touch /tmp/pwned' }, /input "stack": expected a stack name/],
      [{ stack: '../etc' }, /input "stack"/],
      [{ source: release('latest', stackFile('nginx:latest')) }, /not pinned: web \(nginx:latest\)/],
      [
        { source: release('build', 'services:\n  web:\n    build: .\n  api:\n    image: acme/api:1\n') },
        /not pinned: web \(build:\), api \(acme\/api:1\)/,
      ],
      [{ 'compose-project': 'shop' }, /input "compose-project": not used with mode swarm/],
    ];
    const before = await engine.docker(['service', 'ls', '-q']);
    for (const [extra, message] of cases) {
      const result = await runBundle('backend', inputs({ source: release('v1'), path: fresh, ...extra }));
      expect(result.exitCode).not.toBe(0);
      expect(result.stdout).toMatch(message);
    }
    expect(existsSync(join(home, fresh))).toBe(false);
    expect(await engine.docker(['service', 'ls', '-q'])).toBe(before);
  }, 120_000);
});
