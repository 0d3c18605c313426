import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { releaseRoot } from '../../harness/services/release-root.js';
import { runBundle } from '../../harness/services/runner.js';
import { ensureUser, type SshServer, startSshd } from '../../harness/services/sshd.js';
import { type HealthServer, makeSource, startHealthServer } from '../../harness/services/versioned-app.js';

const USER_A = 'dkdeploy';
const USER_B = 'dkdeploy2';
let hostA: SshServer;
let hostB: SshServer;
let homeA: string;
let homeB: string;
let health: HealthServer;
let counter = 0;

function newRoot(): string {
  counter += 1;
  return `rb-${process.pid}-${counter}`;
}

function connection(root: string): Record<string, string> {
  return { hosts: `${USER_A}@127.0.0.1:${hostA.port}`, 'ssh-key': hostA.privateKey, 'known-hosts': hostA.knownHosts, path: root };
}

beforeAll(async () => {
  homeA = ensureUser(USER_A);
  homeB = ensureUser(USER_B);
  hostA = await startSshd();
  // The second host accepts the same user key, so one ssh-key input reaches both.
  hostB = await startSshd({ authorizedKey: hostA.privateKeyFile });
  health = await startHealthServer(() => process.env.DK_HEALTH_ROOT ?? '/nonexistent');
});

afterAll(async () => {
  await hostA?.stop();
  await hostB?.stop();
  await health?.close();
});

async function deployReleases(root: string, ids: string[]): Promise<void> {
  for (const id of ids) {
    const run = await runBundle('backend', { ...connection(root), source: makeSource({ VERSION: id }), 'release-id': id });
    expect(run.exitCode, run.stdout).toBe(0);
  }
}

describe('rollback over ssh', () => {
  it('returns to the previous release, restarts, and records it', async () => {
    const root = newRoot();
    const layout = releaseRoot(join(homeA, root));
    await deployReleases(root, ['r1', 'r2', 'r3']);
    const run = await runBundle('rollback', { ...connection(root), 'restart-command': 'echo "restarted $DEPLOY_KIT_RELEASE"' });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(layout.current()).toBe('releases/r2');
    expect(run.outputs).toMatchObject({ release: 'r2', 'previous-release': 'r3' });
    expect(run.stdout).toContain('restarted r2');
    expect(layout.history().at(-1)).toMatchObject({ event: 'rollback', release: 'r2', previous: 'r3' });
    expect(run.summary).toContain('rolled back');
  });

  it('returns to a named release', async () => {
    const root = newRoot();
    const layout = releaseRoot(join(homeA, root));
    await deployReleases(root, ['r1', 'r2', 'r3']);
    const run = await runBundle('rollback', { ...connection(root), to: 'r1' });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(layout.current()).toBe('releases/r1');
  });

  it('fails on a missing release id with the list of releases present, changing nothing', async () => {
    const root = newRoot();
    const layout = releaseRoot(join(homeA, root));
    await deployReleases(root, ['r1', 'r2']);
    const run = await runBundle('rollback', { ...connection(root), to: 'r9' });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('release r9 does not exist; releases present: r1, r2');
    expect(layout.current()).toBe('releases/r2');
    expect(existsSync(join(layout.dir, '.deploy-kit/lock'))).toBe(false);
  });

  it('puts the release back when the rolled-back-to release fails its health check', async () => {
    const root = newRoot();
    const layout = releaseRoot(join(homeA, root));
    process.env.DK_HEALTH_ROOT = join(layout.dir, 'current');
    await deployReleases(root, ['broken', 'v2']);
    const run = await runBundle('rollback', { ...connection(root), 'health-url': health.url, 'health-timeout': '2s' });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('HTTP 503');
    expect(layout.current()).toBe('releases/v2');
    expect(layout.history().at(-1)).toMatchObject({ event: 'failed', release: 'broken' });
  });
});

describe('several hosts', () => {
  it('rolls out host by host and reverts the switched hosts when a later host fails', async () => {
    const root = newRoot();
    const a = releaseRoot(join(homeA, root));
    const b = releaseRoot(join(homeB, root));
    const both = {
      hosts: `${USER_A}@127.0.0.1:${hostA.port}\n${USER_B}@127.0.0.1:${hostB.port}`,
      'ssh-key': hostA.privateKey,
      'known-hosts': `${hostA.knownHosts}${hostB.knownHosts}`,
      path: root,
    };
    const first = await runBundle('backend', { ...both, source: makeSource({ VERSION: 'v1' }), 'release-id': 'r1' });
    expect(first.exitCode, first.stdout).toBe(0);
    expect(first.outputs.hosts).toBe(`${USER_A}@127.0.0.1:${hostA.port},${USER_B}@127.0.0.1:${hostB.port}`);

    // The second host's restart fails after its switch; the first host was already switched.
    const run = await runBundle('backend', {
      ...both,
      source: makeSource({ VERSION: 'v2' }),
      'release-id': 'r2',
      'restart-command': `if [ "$(id -un)" = ${USER_B} ]; then echo "app failed to start" >&2; exit 9; fi`,
    });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('app failed to start');
    expect(a.current()).toBe('releases/r1');
    expect(b.current()).toBe('releases/r1');
    expect(a.history().map((h) => h.event)).toEqual(['deploy', 'deploy', 'revert']);
    expect(run.outputs.hosts ?? '').toBe('');
    expect(run.summary).toMatch(/reverted/);
  });

  it('stops at the first failed batch: later hosts are never touched', async () => {
    const root = newRoot();
    const run = await runBundle('backend', {
      hosts: `${USER_A}@127.0.0.1:${hostA.port},${USER_B}@127.0.0.1:${hostB.port}`,
      'ssh-key': hostA.privateKey,
      'known-hosts': `${hostA.knownHosts}${hostB.knownHosts}`,
      path: root,
      source: makeSource({ VERSION: 'v1' }),
      'release-id': 'r1',
      'before-switch': 'exit 4',
    });
    expect(run.exitCode).toBe(1);
    expect(existsSync(join(homeA, root, 'current'))).toBe(false);
    expect(existsSync(join(homeB, root))).toBe(false);
  });
});

describe('hostile inputs are refused before any connection', () => {
  const cases: [string, Record<string, string>, string][] = [
    ['.. in path', { path: '../../etc' }, 'input "path"'],
    ['shell characters in path', { path: '/srv/app;rm -rf /' }, 'input "path"'],
    ['a space and an ssh option inside a host', { hosts: '127.0.0.1 -oProxyCommand=touch${IFS}/tmp/pwned' }, 'input "hosts"'],
    ['an ssh option after a newline', { hosts: '127.0.0.1\n-oProxyCommand=id' }, 'input "hosts"'],
    ['a shell character in a host', { hosts: 'dk@127.0.0.1$(id)' }, 'input "hosts"'],
    ['an option-looking host', { hosts: '-oProxyCommand=id' }, 'input "hosts"'],
    ['.. in a release id', { 'release-id': '../r1' }, 'input "release-id"'],
    ['a quote in a release id', { 'release-id': "r1'; touch /tmp/x; '" }, 'input "release-id"'],
    ['.. in a shared dir', { 'shared-dirs': '../../etc' }, 'input "shared-dirs"'],
    ['a bad fingerprint', { 'host-fingerprint': 'SHA256:short' }, 'input "host-fingerprint"'],
    ['a bad boolean', { 'insecure-skip-host-key-check': 'yes' }, 'input "insecure-skip-host-key-check"'],
    ['a bad duration', { 'health-timeout': 'soon' }, 'input "health-timeout"'],
  ];
  it.each(cases)('%s', async (_name, override, message) => {
    const root = newRoot();
    const run = await runBundle('backend', { ...connection(root), source: makeSource({ VERSION: 'v1' }), 'release-id': 'r1', ...override });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain(message);
    expect(run.stdout).toContain('nothing was changed on any host');
    expect(existsSync(join(homeA, root))).toBe(false);
    // No key file was ever written: the step stopped before preparing a connection.
    expect(readdirSync(run.env.RUNNER_TEMP!)).toEqual([]);
  });

  it('refuses a release id with shell characters in rollback', async () => {
    const run = await runBundle('rollback', { ...connection(newRoot()), to: 'r1;id' });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('input "to"');
  });
});
