import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildBusyboxImage, dockerAvailable, type DockerEngine, pushPinned, startDockerd } from '../../harness/services/dockerd.js';
import { freePort } from '../../harness/services/ports.js';
import { type Registry, startRegistry } from '../../harness/services/registry.js';
import { releaseRoot } from '../../harness/services/release-root.js';
import { runBundle } from '../../harness/services/runner.js';
import { ensureUser, type SshServer, startSshd } from '../../harness/services/sshd.js';
import { makeSource } from '../../harness/services/versioned-app.js';

/**
 * smoke `on-failure: rollback` after a `mode: swarm` deploy: with the deploy's mode and stack it
 * deploys the previous release's stack file on the manager (as the rollback action does); without
 * them it sees the stack file in the current release and refuses before changing anything. A real
 * dockerd in a single-node swarm, a real registry and sshd (see swarm.test.ts for the setup).
 */

const USER = 'dkswarmsmoke';
const STACK = 'smokeshop';
const available = dockerAvailable();
let engine: DockerEngine;
let registry: Registry;
let sshd: SshServer;
let home: string;
let port: number;
const images: Record<string, string> = {};
const root = `smoke-swarm-${process.pid}`;
const deployRoot = () => releaseRoot(join(home, root));

const stackFile = (image: string) =>
  [
    'version: "3.8"',
    'services:',
    '  web:',
    `    image: ${image}`,
    '    networks: [hostnet]',
    '    stop_grace_period: 2s',
    '    deploy:',
    '      replicas: 1',
    '      update_config:',
    '        order: stop-first',
    '        monitor: 3s',
    '      rollback_config:',
    '        order: stop-first',
    'networks:',
    '  hostnet:',
    '    external: true',
    '    name: host',
    '',
  ].join('\n');

const connection = () => ({
  hosts: `${USER}@127.0.0.1:${sshd.port}`,
  'ssh-key': sshd.privateKey,
  'known-hosts': sshd.knownHosts,
  path: root,
});
const swarmInputs = { mode: 'swarm', stack: STACK };
const url = () => `http://127.0.0.1:${port}/`;

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

beforeAll(async () => {
  if (!available) return;
  home = ensureUser(USER);
  execFileSync('flock', [join(tmpdir(), 'deploy-kit-test-users.lock'), 'usermod', '-aG', 'docker', USER]);
  engine = await startDockerd();
  chmodSync(engine.dir, 0o711);
  await engine.initSwarm();
  registry = await startRegistry();
  port = await freePort();
  for (const [version, body] of [
    ['v1', 'shop v1: add to cart\n'],
    ['v2', 'shop v2: something went wrong\n'],
  ] as const) {
    const tag = `${registry.host}/acme/smokeweb:${version}`;
    await buildBusyboxImage(engine, tag, { port, body, healthy: true });
    images[version] = await pushPinned(engine, tag);
  }
  sshd = await startSshd({ config: [`SetEnv DOCKER_HOST=${engine.host}`] });
}, 300_000);

afterAll(async () => {
  await sshd?.stop();
  await engine?.stop();
  await registry?.stop();
}, 120_000);

describe.skipIf(!available)('smoke on-failure: rollback after a mode: swarm deploy', () => {
  it('deploys r1 and r2 (healthy to Swarm, wrong to smoke)', async () => {
    for (const [id, version] of [
      ['r1', 'v1'],
      ['r2', 'v2'],
    ] as const) {
      const deployed = await runBundle('backend', {
        ...connection(),
        ...swarmInputs,
        source: makeSource({ 'compose.yaml': stackFile(images[version]!) }),
        'release-id': id,
        'health-url': url(),
        'health-timeout': '150s',
      });
      expect(deployed.exitCode, deployed.stdout).toBe(0);
    }
    expect(await runningImages()).toEqual([images.v2]);
  }, 360_000);

  it('without mode: swarm it refuses before changing anything, naming the inputs', async () => {
    const history = deployRoot().activity();
    const smoke = await runBundle('smoke', {
      ...connection(),
      url: url(),
      expect: '200 add to cart',
      deadline: '5s',
      'on-failure': 'rollback',
    });
    expect(smoke.exitCode).toBe(1);
    expect(smoke.stdout).toContain('the body lacks "add to cart"');
    expect(smoke.stdout).toContain('deployed with mode: swarm (it holds .deploy-kit-stack.yaml)');
    expect(smoke.stdout).toContain('"mode: swarm", "stack"');
    expect(smoke.stdout).toContain('run the rollback action with those inputs now');
    expect(smoke.outputs['rolled-back-to']).toBeUndefined();
    expect(deployRoot().current()).toBe('releases/r2');
    expect(deployRoot().activity()).toEqual(history);
    expect(existsSync(join(home, root, '.deploy-kit/lock'))).toBe(false);
    expect(await runningImages()).toEqual([images.v2]);
  }, 120_000);

  it('with mode: swarm and stack it deploys the previous release stack file, and r1 serves again', async () => {
    const smoke = await runBundle('smoke', {
      ...connection(),
      ...swarmInputs,
      url: url(),
      expect: '200 add to cart',
      // Also the rollback's convergence and health deadline.
      deadline: '60s',
      'on-failure': 'rollback',
    });
    expect(smoke.exitCode).toBe(1);
    expect(smoke.stdout).toContain('the body lacks "add to cart"');
    expect(smoke.stdout).toContain(`swarm: using manager ${USER}@127.0.0.1:${sshd.port}`);
    expect(smoke.stdout).toContain('Rolled back from r2 to r1');
    expect(smoke.outputs).toMatchObject({ passed: 'false', 'rolled-back-to': 'r1' });
    expect(deployRoot().current()).toBe('releases/r1');
    expect(await runningImages()).toEqual([images.v1]);
    expect(await (await fetch(url())).text()).toContain('shop v1: add to cart');
    expect(deployRoot().history().at(-1)).toMatchObject({ event: 'rollback', release: 'r1', previous: 'r2' });
    expect(existsSync(join(home, root, '.deploy-kit/lock'))).toBe(false);
  }, 360_000);
});
