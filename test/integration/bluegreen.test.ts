import { existsSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { makeAppSource, START_COMMAND } from '../../harness/services/bluegreen-app.js';
import { killInstances, listening } from '../../harness/services/bluegreen-instances.js';
import { type NginxServer, startNginx } from '../../harness/services/nginx.js';
import { freePort } from '../../harness/services/ports.js';
import { releaseRoot } from '../../harness/services/release-root.js';
import { runBundle } from '../../harness/services/runner.js';
import { type SshServer, startSshd } from '../../harness/services/sshd.js';

// The deploy user is root here: `nginx -s reload` signals the nginx master the test started as root.
let sshd: SshServer;
const cleanups: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  sshd = await startSshd();
});

afterAll(async () => {
  await sshd?.stop();
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Site {
  root: string;
  nginx: NginxServer;
  ports: [number, number];
  inputs: Record<string, string>;
}

async function site(): Promise<Site> {
  const ports: [number, number] = [await freePort(), await freePort()];
  const nginx = await startNginx(ports[0]);
  const root = mkdtempSync(join(tmpdir(), 'dk-bluegreen-'));
  cleanups.push(() => nginx.stop());
  cleanups.push(() => killInstances(root));
  const inputs = {
    hosts: `root@127.0.0.1:${sshd.port}`,
    'ssh-key': sshd.privateKey,
    'known-hosts': sshd.knownHosts,
    path: root,
    switch: 'blue-green',
    ports: ports.join(','),
    'start-command': START_COMMAND,
    'health-path': '/health',
    'health-timeout': '10s',
    'nginx-upstream-file': nginx.upstreamFile,
    'nginx-test-command': nginx.testCommand,
    'nginx-reload-command': nginx.reloadCommand,
    'drain-seconds': '1',
  };
  return { root, nginx, ports, inputs };
}

async function served(s: Site): Promise<string> {
  const response = await fetch(s.nginx.url);
  return `${response.status} ${await response.text()}`;
}

const activePort = (s: Site) => Number(readFileSync(join(s.root, '.deploy-kit/active-port'), 'utf8'));
const upstream = (s: Site) => readFileSync(s.nginx.upstreamFile, 'utf8');
const current = (s: Site) => releaseRoot(s.root).current();

async function deploy(s: Site, version: string, release: string, extra: Record<string, string> = {}) {
  return runBundle('backend', { ...s.inputs, source: makeAppSource(version), 'release-id': release, ...extra });
}

// Several deploys per test; a busy shared machine makes each take seconds.
describe('backend switch: blue-green behind nginx', { timeout: 180_000 }, () => {
  it('starts each release on the idle port, switches nginx to it and stops the old instance', async () => {
    const s = await site();
    const first = await deploy(s, 'v1', 'r1');
    expect(first.exitCode, first.stdout).toBe(0);
    expect(await served(s)).toBe('200 v1');
    expect(activePort(s)).toBe(s.ports[0]);
    expect(upstream(s)).toContain(`server 127.0.0.1:${s.ports[0]};`);

    const second = await deploy(s, 'v2', 'r2');
    expect(second.exitCode, second.stdout).toBe(0);
    expect(await served(s)).toBe('200 v2');
    expect(activePort(s)).toBe(s.ports[1]);
    expect(upstream(s)).toContain(`server 127.0.0.1:${s.ports[1]};`);
    expect(current(s)).toBe('releases/r2');
    expect(readlinkSync(join(s.root, 'ports', String(s.ports[1])))).toBe('../releases/r2');
    expect(await listening(s.ports[0])).toBe(false);
    expect(second.summary).toContain(`port ${s.ports[1]}: HTTP 200`);
    expect(second.outputs['previous-release']).toBe('r1');

    // The third release goes back to the first port.
    expect((await deploy(s, 'v3', 'r3')).exitCode).toBe(0);
    expect(await served(s)).toBe('200 v3');
    expect(activePort(s)).toBe(s.ports[0]);
  });

  it('leaves the old version serving when the new release fails its health check on the idle port', async () => {
    const s = await site();
    expect((await deploy(s, 'v1', 'r1')).exitCode).toBe(0);
    const before = upstream(s);
    const run = await deploy(s, 'broken', 'r2', { 'health-timeout': '3s' });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain(`health check http://127.0.0.1:${s.ports[1]}/health`);
    expect(run.stdout).toContain('HTTP 503');
    expect(await served(s)).toBe('200 v1');
    expect(upstream(s)).toBe(before);
    expect(activePort(s)).toBe(s.ports[0]);
    expect(current(s)).toBe('releases/r1');
    expect(await listening(s.ports[1])).toBe(false);
    expect(existsSync(join(s.root, 'releases/r2'))).toBe(false);
  });

  it('fails fast with the instance log when the start-command exits', async () => {
    const s = await site();
    expect((await deploy(s, 'v1', 'r1')).exitCode).toBe(0);
    const run = await deploy(s, 'v2', 'r2', { 'start-command': 'echo "ModuleNotFoundError: No module named app" >&2; exit 3' });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('exited before it was healthy');
    expect(run.stdout).toContain('ModuleNotFoundError: No module named app');
    expect(await served(s)).toBe('200 v1');
  });

  it('refuses a configuration nginx -t rejects: the old upstream file stays, nginx keeps serving the old version', async () => {
    const s = await site();
    expect((await deploy(s, 'v1', 'r1')).exitCode).toBe(0);
    const before = upstream(s);
    writeFileSync(join(s.nginx.confDir, 'broken.conf'), 'this_is_not_a_directive on;\n');
    const run = await deploy(s, 'v2', 'r2');
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('unknown directive "this_is_not_a_directive"');
    expect(run.stdout).toContain('the previous');
    expect(upstream(s)).toBe(before);
    expect(await served(s)).toBe('200 v1');
    expect(activePort(s)).toBe(s.ports[0]);
    expect(current(s)).toBe('releases/r1');
    expect(await listening(s.ports[1])).toBe(false);

    // Once the configuration is fixed, the next deploy goes through.
    rmSync(join(s.nginx.confDir, 'broken.conf'));
    expect((await deploy(s, 'v3', 'r3')).exitCode).toBe(0);
    expect(await served(s)).toBe('200 v3');
  });

  it('rolls back by starting the previous release on the idle port the same way', async () => {
    const s = await site();
    expect((await deploy(s, 'v1', 'r1')).exitCode).toBe(0);
    expect((await deploy(s, 'v2', 'r2')).exitCode).toBe(0);
    const { source: _source, ...inputs } = { ...s.inputs, source: '' };
    const run = await runBundle('rollback', inputs);
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs).toMatchObject({ release: 'r1', 'previous-release': 'r2' });
    expect(await served(s)).toBe('200 v1');
    expect(current(s)).toBe('releases/r1');
    expect(activePort(s)).toBe(s.ports[0]);
    expect(await listening(s.ports[1])).toBe(false);
  });

  it('refuses incomplete blue-green inputs before connecting', async () => {
    const s = await site();
    const { ports: _ports, ...inputs } = s.inputs;
    const run = await runBundle('backend', { ...inputs, source: makeAppSource('v1') });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('input "ports"');
    expect(existsSync(join(s.root, 'releases'))).toBe(false);
  });
});
