import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { releaseRoot } from '../../harness/services/release-root.js';
import { runBundle } from '../../harness/services/runner.js';
import { ensureUser, type SshServer, startSshd } from '../../harness/services/sshd.js';
import { type HealthServer, makeSource, startHealthServer } from '../../harness/services/versioned-app.js';

/**
 * mode: compose over a real sshd. Only `docker` is a fake (no daemon here): an executable first on
 * the sshd user's PATH that records each call with its working directory. The lock, upload, switch,
 * health check, revert, history and rollback are the real release model.
 */

const USER = 'dkcompose';
const DIGEST = `sha256:${'b'.repeat(64)}`;
let sshd: SshServer;
let health: HealthServer;
let home: string;
let calls: string;
let counter = 0;
let currentRoot = '';

const FAKE_DOCKER = `#!/bin/bash
printf '%s\\t%s\\n' "$(pwd -P)" "$*" >> "$FAKE_DOCKER_LOG"
[ "$*" = "compose version" ] && { echo "Docker Compose version v2.29.0"; exit 0; }
file=compose.yaml
args=("$@")
for i in "\${!args[@]}"; do [ "\${args[$i]}" = "--file" ] && file="\${args[$((i+1))]}"; done
case " $* " in
  *" pull "*) grep -q unpullable "$file" && { echo "pull access denied for acme/unpullable" >&2; exit 18; } ;;
  *" up "*) grep -q crashloop "$file" && { echo "container shop-web-1 is unhealthy" >&2; exit 1; } ;;
esac
exit 0
`;

function newRoot(): string {
  counter += 1;
  currentRoot = `stack-${process.pid}-${counter}`;
  return currentRoot;
}

const abs = (root: string) => join(home, root);
const current = (root: string) => releaseRoot(abs(root)).current();
const dockerCalls = () =>
  readFileSync(calls, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\t') as [string, string]);
const history = (root: string) => releaseRoot(abs(root)).history();

function release(version: string, image = `127.0.0.1:5000/acme/shop@${DIGEST}`): string {
  return makeSource({
    VERSION: version,
    'compose.yaml': `services:\n  web:\n    image: ${image}\n    env_file: .env\n`,
    '.env': `APP_VERSION=${version}\n`,
  });
}

function inputs(root: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    hosts: `${USER}@127.0.0.1:${sshd.port}`,
    'ssh-key': sshd.privateKey,
    'known-hosts': sshd.knownHosts,
    path: root,
    mode: 'compose',
    'health-url': health.url,
    'health-timeout': '3s',
    ...extra,
  };
}

beforeAll(async () => {
  home = ensureUser(USER);
  const bin = mkdtempSync(join(tmpdir(), 'dk-fakebin-'));
  chmodSync(bin, 0o755);
  writeFileSync(join(bin, 'docker'), FAKE_DOCKER, { mode: 0o755 });
  calls = join(bin, 'calls.log');
  writeFileSync(calls, '');
  chmodSync(calls, 0o666);
  sshd = await startSshd({ config: [`SetEnv PATH=${bin}:/usr/local/bin:/usr/bin:/bin FAKE_DOCKER_LOG=${calls}`] });
  health = await startHealthServer(() => join(abs(currentRoot), 'current'));
});

afterAll(async () => {
  await sshd?.stop();
  await health?.close();
});

describe('backend mode compose over ssh', () => {
  it('pulls in the new release before the switch, then ups it under one project name', async () => {
    const root = newRoot();
    writeFileSync(calls, '');
    const first = await runBundle('backend', inputs(root, { source: release('v1'), 'release-id': 'r1' }));
    expect(first.exitCode, first.stdout).toBe(0);
    const second = await runBundle('backend', inputs(root, { source: release('v2'), 'release-id': 'r2' }));
    expect(second.exitCode, second.stdout).toBe(0);
    expect(current(root)).toBe('releases/r2');
    const work = dockerCalls().filter(([, args]) => args !== 'compose version');
    expect(work).toEqual([
      [join(abs(root), 'releases/r1'), `compose --project-name ${root} --file compose.yaml pull --quiet`],
      [join(abs(root), 'releases/r1'), `compose --project-name ${root} --file compose.yaml up --detach --wait --remove-orphans`],
      [join(abs(root), 'releases/r2'), `compose --project-name ${root} --file compose.yaml pull --quiet`],
      [join(abs(root), 'releases/r2'), `compose --project-name ${root} --file compose.yaml up --detach --wait --remove-orphans`],
    ]);
    expect(history(root).map((h) => [h.event, h.release])).toEqual([
      ['deploy', 'r1'],
      ['deploy', 'r2'],
    ]);
  });

  it('refuses images not pinned by digest before connecting', async () => {
    const root = newRoot();
    writeFileSync(calls, '');
    const run = await runBundle('backend', inputs(root, { source: release('v1', 'acme/shop:latest'), 'release-id': 'r1' }));
    expect(run.exitCode).not.toBe(0);
    expect(run.stdout).toMatch(/input "compose-file".*pinned by digest.*web \(acme\/shop:latest\)/s);
    expect(existsSync(abs(root))).toBe(false);
    expect(dockerCalls()).toEqual([]);
  });

  it('leaves current untouched when the pull fails', async () => {
    const root = newRoot();
    expect((await runBundle('backend', inputs(root, { source: release('v1'), 'release-id': 'r1' }))).exitCode).toBe(0);
    const run = await runBundle(
      'backend',
      inputs(root, { source: release('v2', `127.0.0.1:5000/acme/unpullable@${DIGEST}`), 'release-id': 'r2' }),
    );
    expect(run.exitCode).not.toBe(0);
    expect(run.stdout).toContain('pull access denied');
    expect(current(root)).toBe('releases/r1');
    expect(readdirSync(join(abs(root), 'releases'))).toEqual(['r1']);
  });

  it('re-ups the previous release when the new one fails its health check after the switch', async () => {
    const root = newRoot();
    expect((await runBundle('backend', inputs(root, { source: release('v1'), 'release-id': 'r1' }))).exitCode).toBe(0);
    writeFileSync(calls, '');
    const run = await runBundle('backend', inputs(root, { source: release('broken'), 'release-id': 'r2' }));
    expect(run.exitCode).not.toBe(0);
    expect(current(root)).toBe('releases/r1');
    const ups = dockerCalls().filter(([, args]) => args.includes(' up '));
    expect(ups.map(([dir]) => dir)).toEqual([join(abs(root), 'releases/r2'), join(abs(root), 'releases/r1')]);
    expect(history(root).map((h) => h.event)).toEqual(['deploy', 'revert']);
  });

  it('reverts when compose up --wait fails', async () => {
    const root = newRoot();
    expect((await runBundle('backend', inputs(root, { source: release('v1'), 'release-id': 'r1' }))).exitCode).toBe(0);
    const source = release('v2');
    writeFileSync(
      join(source, 'compose.yaml'),
      `services:\n  web:\n    image: 127.0.0.1:5000/acme/shop@${DIGEST}\n    command: crashloop\n`,
    );
    const run = await runBundle('backend', inputs(root, { source, 'release-id': 'r2' }));
    expect(run.exitCode).not.toBe(0);
    expect(run.stdout).toContain('is unhealthy');
    expect(current(root)).toBe('releases/r1');
  });

  it('rollback re-ups the previous release with the same project', async () => {
    const root = newRoot();
    expect((await runBundle('backend', inputs(root, { source: release('v1'), 'release-id': 'r1' }))).exitCode).toBe(0);
    expect((await runBundle('backend', inputs(root, { source: release('v2'), 'release-id': 'r2' }))).exitCode).toBe(0);
    writeFileSync(calls, '');
    const { source: _s, ...rest } = inputs(root);
    const run = await runBundle('rollback', rest);
    expect(run.exitCode, run.stdout).toBe(0);
    expect(current(root)).toBe('releases/r1');
    expect(dockerCalls().filter(([, a]) => a !== 'compose version')).toEqual([
      [join(abs(root), 'releases/r1'), `compose --project-name ${root} --file compose.yaml up --detach --wait --remove-orphans`],
    ]);
    expect(run.outputs).toMatchObject({ release: 'r1', 'previous-release': 'r2' });
  });
});
