import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { SERVER_JS, START_COMMAND } from '../../harness/services/bluegreen-app.js';
import { killInstances, listening } from '../../harness/services/bluegreen-instances.js';
import { type NginxServer, startNginx } from '../../harness/services/nginx.js';
import { freePort } from '../../harness/services/ports.js';
import { releaseRoot } from '../../harness/services/release-root.js';
import { runBundle } from '../../harness/services/runner.js';
import { ensureUser, type SshServer, startSshd } from '../../harness/services/sshd.js';
import { type HealthServer, makeSource, startHealthServer } from '../../harness/services/versioned-app.js';

/**
 * smoke `on-failure: rollback` after a blue/green and after a compose deploy (issue #14): the rollback
 * must undo the switch the deploy made (nginx back to the old release's instance, or the old compose
 * file up again), not only move `current`. Real sshd and nginx; only `docker` is a fake (no daemon
 * here): first on the sessions' PATH, it records each call with its working directory.
 */

const COMPOSE_USER = 'dkcomposesmoke';
const DIGEST = `sha256:${'c'.repeat(64)}`;
const FAKE_DOCKER = `#!/bin/bash
printf '%s\\t%s\\n' "$(pwd -P)" "$*" >> "$FAKE_DOCKER_LOG"
[ "$*" = "compose version" ] && echo "Docker Compose version v2.29.0"
exit 0
`;

let scratch: string;
let dockerLog: string;
let sshd: SshServer;
const cleanups: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'dk-smoke-switch-'));
  chmodSync(scratch, 0o755);
  const bin = mkdtempSync(join(scratch, 'bin-'));
  chmodSync(bin, 0o755);
  writeFileSync(join(bin, 'docker'), FAKE_DOCKER, { mode: 0o755 });
  dockerLog = join(bin, 'calls.log');
  writeFileSync(dockerLog, '');
  chmodSync(dockerLog, 0o666);
  sshd = await startSshd({ config: [`SetEnv PATH=${bin}:/usr/local/bin:/usr/bin:/bin FAKE_DOCKER_LOG=${dockerLog}`] });
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

afterAll(async () => {
  await sshd?.stop();
  rmSync(sshd?.dir ?? '', { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

/** runBundle, then removes the runner's temp and file-command dirs it made. */
async function run(action: string, inputs: Record<string, string>) {
  const result = await runBundle(action, inputs);
  rmSync(dirname(result.env.GITHUB_OUTPUT!), { recursive: true, force: true });
  rmSync(result.env.RUNNER_TEMP!, { recursive: true, force: true });
  return result;
}

const source = (files: Record<string, string>) => makeSource(files, mkdtempSync(join(scratch, 'src-')));

const connection = (user: string, path: string) => ({
  hosts: `${user}@127.0.0.1:${sshd.port}`,
  'ssh-key': sshd.privateKey,
  'known-hosts': sshd.knownHosts,
  path,
});

// The deploy user is root here: `nginx -s reload` signals the nginx master the test started as root.
describe('smoke on-failure: rollback after a switch: blue-green deploy', { timeout: 180_000 }, () => {
  interface Site {
    root: string;
    nginx: NginxServer;
    ports: [number, number];
    /** The connection and switch inputs, given alike to backend and smoke. */
    inputs: Record<string, string>;
  }

  async function site(): Promise<Site> {
    const ports: [number, number] = [await freePort(), await freePort()];
    const nginx = await startNginx(ports[0]);
    const root = mkdtempSync(join(scratch, 'bluegreen-'));
    cleanups.push(() => nginx.stop());
    cleanups.push(() => killInstances(root));
    const inputs = {
      ...connection('root', root),
      switch: 'blue-green',
      ports: ports.join(','),
      'start-command': START_COMMAND,
      'health-path': '/health',
      'nginx-upstream-file': nginx.upstreamFile,
      'nginx-test-command': nginx.testCommand,
      'nginx-reload-command': nginx.reloadCommand,
      'drain-seconds': '1',
    };
    return { root, nginx, ports, inputs };
  }

  /** The sample app answers its VERSION on / and a 200 on /health (unless VERSION is "broken"). */
  const deploy = (s: Site, version: string, release: string) =>
    run('backend', {
      ...s.inputs,
      source: source({ VERSION: version, 'server.cjs': SERVER_JS }),
      'release-id': release,
      'health-timeout': '20s',
    });

  async function served(s: Site): Promise<string> {
    const response = await fetch(s.nginx.url);
    return `${response.status} ${await response.text()}`;
  }

  it('starts the previous release on the idle port, points nginx back at it and stops the failed instance', async () => {
    const s = await site();
    const first = await deploy(s, 'shop v1', 'r1');
    expect(first.exitCode, first.stdout).toBe(0);
    // r2 is healthy on its side port, so the deploy switches nginx to it; only smoke sees the page is wrong.
    const second = await deploy(s, 'maintenance v2', 'r2');
    expect(second.exitCode, second.stdout).toBe(0);
    expect(await served(s)).toBe('200 maintenance v2');

    const smoke = await run('smoke', { ...s.inputs, url: s.nginx.url, expect: '200 shop', deadline: '20s', 'on-failure': 'rollback' });
    expect(smoke.exitCode).toBe(1);
    expect(smoke.stdout).toContain('the body lacks "shop"');
    expect(smoke.stdout).toContain('Rolled back from r2 to r1');
    expect(smoke.outputs).toMatchObject({ passed: 'false', 'rolled-back-to': 'r1' });
    expect(await served(s)).toBe('200 shop v1');
    expect(releaseRoot(s.root).current()).toBe('releases/r1');
    expect(readFileSync(s.nginx.upstreamFile, 'utf8')).toContain(`server 127.0.0.1:${s.ports[0]};`);
    expect(Number(readFileSync(join(s.root, '.deploy-kit/active-port'), 'utf8'))).toBe(s.ports[0]);
    expect(await listening(s.ports[1])).toBe(false);
    expect(releaseRoot(s.root).history().at(-1)).toMatchObject({ event: 'rollback', release: 'r1', previous: 'r2' });
    expect(smoke.summary).toMatch(
      new RegExp(`### Rollback[\\s\\S]*\\| root@127\\.0\\.0\\.1:${sshd.port} \\| r2 \\| r1 \\| rolled back \\|`),
    );
  });

  it('without the switch inputs it reads the recorded blue/green state and refuses before changing anything', async () => {
    const s = await site();
    expect((await deploy(s, 'shop v1', 'r1')).exitCode).toBe(0);
    expect((await deploy(s, 'maintenance v2', 'r2')).exitCode).toBe(0);
    const upstream = readFileSync(s.nginx.upstreamFile, 'utf8');
    const history = releaseRoot(s.root).activity();

    // Only the connection inputs: a plain rollback would move current while nginx keeps routing to r2's port.
    const smoke = await run('smoke', {
      ...connection('root', s.root),
      url: s.nginx.url,
      expect: '200 shop',
      deadline: '5s',
      'on-failure': 'rollback',
    });
    expect(smoke.exitCode).toBe(1);
    expect(smoke.stdout).toContain('the body lacks "shop"');
    expect(smoke.stdout).toContain(
      `deployed with switch: blue-green (.deploy-kit/active-port: nginx sends requests to port ${s.ports[1]})`,
    );
    expect(smoke.stdout).toContain('Not rolled back');
    expect(smoke.stdout).toContain('"switch: blue-green", "ports", "start-command" and "nginx-upstream-file"');
    expect(smoke.stdout).toContain('run the rollback action with those inputs now');
    expect(smoke.stdout).not.toContain('Rolled back from');
    expect(smoke.outputs['rolled-back-to']).toBeUndefined();
    // Nothing remote changed: current, the upstream, the active port, history; no lock left behind.
    expect(releaseRoot(s.root).current()).toBe('releases/r2');
    expect(readFileSync(s.nginx.upstreamFile, 'utf8')).toBe(upstream);
    expect(Number(readFileSync(join(s.root, '.deploy-kit/active-port'), 'utf8'))).toBe(s.ports[1]);
    expect(releaseRoot(s.root).activity()).toEqual(history);
    expect(existsSync(join(s.root, '.deploy-kit/lock'))).toBe(false);
    expect(await served(s)).toBe('200 maintenance v2');
    expect(smoke.summary).toContain('Not rolled back: ');

    // The same smoke with the deploy's switch inputs does the rollback.
    const fixed = await run('smoke', { ...s.inputs, url: s.nginx.url, expect: '200 shop', deadline: '5s', 'on-failure': 'rollback' });
    expect(fixed.stdout).toContain('Rolled back from r2 to r1');
    expect(await served(s)).toBe('200 shop v1');
  });

  it('refuses incomplete blue-green inputs before any request, so a failure cannot half roll back', async () => {
    const s = await site();
    const { ports: _ports, ...inputs } = s.inputs;
    const smoke = await run('smoke', { ...inputs, url: s.nginx.url, deadline: '1s', 'on-failure': 'rollback' });
    expect(smoke.exitCode).toBe(1);
    expect(smoke.stdout).toContain('input "ports"');
    expect(smoke.outputs.report).toBeUndefined();
  });
});

describe('smoke on-failure: rollback after a mode: compose deploy', { timeout: 120_000 }, () => {
  let home: string;
  let health: HealthServer;
  let page: Server;
  let pageUrl: string;
  let root = '';
  const abs = () => join(home, root);

  beforeAll(async () => {
    home = ensureUser(COMPOSE_USER);
    // The deploy's health URL: 200 with the current release's VERSION.
    health = await startHealthServer(() => join(abs(), 'current'));
    // What smoke checks: the page the current release serves.
    page = createServer((_req, res) => {
      try {
        res.writeHead(200, { 'content-type': 'text/html' }).end(readFileSync(join(abs(), 'current/index.html')));
      } catch {
        res.writeHead(503).end('no release');
      }
    });
    await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
    pageUrl = `http://127.0.0.1:${(page.address() as { port: number }).port}/`;
  });

  afterAll(async () => {
    await health?.close();
    await new Promise((resolve) => page?.close(resolve));
  });

  const composeInputs = () => ({
    ...connection(COMPOSE_USER, root),
    mode: 'compose',
    'compose-file': 'deploy/compose.prod.yaml',
    'compose-project': 'shop',
  });

  const release = (version: string, html: string) =>
    source({
      VERSION: version,
      'index.html': html,
      'deploy/compose.prod.yaml': `services:\n  web:\n    image: 127.0.0.1:5000/acme/shop@${DIGEST}\n`,
    });

  const dockerCalls = () =>
    readFileSync(dockerLog, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split('\t'))
      .filter(([dir]) => dir!.startsWith(`${abs()}/`));

  it('re-runs compose up for the older release, with its compose file and the same project', async () => {
    root = `smoke-stack-${process.pid}`;
    cleanups.push(() => rmSync(abs(), { recursive: true, force: true }));
    for (const [id, version, html] of [
      ['r1', 'v1', '<h1>Shop</h1><button>Add to cart</button>'],
      ['r2', 'v2', '<h1>Shop</h1><p>Something went wrong</p>'],
    ] as const) {
      const deployed = await run('backend', {
        ...composeInputs(),
        'health-url': health.url,
        'health-timeout': '10s',
        source: release(version, html),
        'release-id': id,
      });
      expect(deployed.exitCode, deployed.stdout).toBe(0);
    }
    const before = dockerCalls().length;

    const smoke = await run('smoke', {
      ...composeInputs(),
      url: pageUrl,
      expect: '200 Add to cart',
      deadline: '5s',
      'on-failure': 'rollback',
    });
    expect(smoke.exitCode).toBe(1);
    expect(smoke.stdout).toContain('the body lacks "Add to cart"');
    expect(smoke.outputs).toMatchObject({ passed: 'false', 'rolled-back-to': 'r1' });
    expect(releaseRoot(abs()).current()).toBe('releases/r1');
    expect(
      dockerCalls()
        .slice(before)
        .filter(([, args]) => args !== 'compose version'),
    ).toEqual([
      [join(abs(), 'releases/r1'), 'compose --project-name shop --file deploy/compose.prod.yaml up --detach --wait --remove-orphans'],
    ]);
    expect(releaseRoot(abs()).history().at(-1)).toMatchObject({ event: 'rollback', release: 'r1', previous: 'r2' });
    expect(await (await fetch(pageUrl)).text()).toContain('Add to cart');
  });
});
