import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { releaseRoot } from '../../harness/services/release-root.js';
import { printed, runBundle } from '../../harness/services/runner.js';
import { ensureUser, type SshServer, startSshd } from '../../harness/services/sshd.js';
import { type HealthServer, makeSource, startHealthServer } from '../../harness/services/versioned-app.js';

let sshd: SshServer;
let health: HealthServer;
let home: string;
let counter = 0;
const USER = 'dkdeploy';

/** Each test gets its own deploy root under the deploy user's home. */
function newRoot(): string {
  counter += 1;
  return `app-${process.pid}-${counter}`;
}

function connection(root: string): Record<string, string> {
  return { hosts: `${USER}@127.0.0.1:${sshd.port}`, 'ssh-key': sshd.privateKey, 'known-hosts': sshd.knownHosts, path: root };
}

const abs = (root: string) => join(home, root);
const current = (root: string) => releaseRoot(abs(root)).current();
const releases = (root: string) => releaseRoot(abs(root)).releases();
const history = (root: string) => releaseRoot(abs(root)).history();

beforeAll(async () => {
  home = ensureUser(USER);
  sshd = await startSshd();
  health = await startHealthServer(() => process.env.DK_HEALTH_ROOT ?? '/nonexistent');
});

afterAll(async () => {
  await sshd?.stop();
  await health?.close();
});

describe('backend over ssh', () => {
  it('lays out releases, shared and an atomic current link on the first deploy', async () => {
    const root = newRoot();
    const source = makeSource({ VERSION: 'v1', 'app/main.py': 'print("hi")\n' });
    const run = await runBundle('backend', { ...connection(root), source, 'release-id': 'r1', 'shared-dirs': 'media' });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(current(root)).toBe('releases/r1');
    expect(readFileSync(join(abs(root), 'current/app/main.py'), 'utf8')).toContain('hi');
    expect(lstatSync(join(abs(root), 'releases/r1/media')).isSymbolicLink()).toBe(true);
    expect(statSync(join(abs(root), 'shared/media')).isDirectory()).toBe(true);
    expect(run.outputs).toMatchObject({ release: 'r1', 'release-path': `${root}/releases/r1`, hosts: `${USER}@127.0.0.1:${sshd.port}` });
    expect(history(root)).toMatchObject([{ event: 'deploy', release: 'r1' }]);
    expect(existsSync(join(abs(root), '.deploy-kit/lock'))).toBe(false);
    expect(run.summary).toContain('| deployed |');
  });

  it('sends only the changed file on a redeploy and hard-links the rest', async () => {
    const root = newRoot();
    const big = randomBytes(2 * 1024 * 1024);
    const source = makeSource({ VERSION: 'v1', 'static/bundle.js': big });
    expect((await runBundle('backend', { ...connection(root), source, 'release-id': 'r1' })).exitCode).toBe(0);
    writeFileSync(join(source, 'VERSION'), 'v2');
    const second = await runBundle('backend', { ...connection(root), source, 'release-id': 'r2' });
    expect(second.exitCode, second.stdout).toBe(0);
    const sent = Number(/rsync, (\d+) bytes sent/.exec(second.stdout)?.[1]);
    expect(sent).toBeGreaterThan(0);
    expect(sent).toBeLessThan(20_000);
    expect(statSync(join(abs(root), 'releases/r2/static/bundle.js')).ino).toBe(
      statSync(join(abs(root), 'releases/r1/static/bundle.js')).ino,
    );
    expect(second.outputs['previous-release']).toBe('r1');
  });

  it('links shared files and refuses a release when one is missing on the host', async () => {
    const root = newRoot();
    const source = makeSource({ VERSION: 'v1' });
    const missing = await runBundle('backend', { ...connection(root), source, 'release-id': 'r1', 'shared-files': '.env' });
    expect(missing.exitCode).not.toBe(0);
    expect(missing.stdout).toContain('shared file .env is missing');
    expect(existsSync(join(abs(root), 'current'))).toBe(false);
    writeFileSync(join(abs(root), 'shared/.env'), 'SECRET=1\n');
    const ok = await runBundle('backend', { ...connection(root), source, 'release-id': 'r2', 'shared-files': '.env' });
    expect(ok.exitCode, ok.stdout).toBe(0);
    expect(readFileSync(join(abs(root), 'current/.env'), 'utf8')).toBe('SECRET=1\n');
  });

  it('keeps N releases and never removes current or the previous one', async () => {
    const root = newRoot();
    const source = makeSource({ VERSION: 'v1' });
    for (const id of ['r1', 'r2', 'r3', 'r4']) {
      expect((await runBundle('backend', { ...connection(root), source, 'release-id': id, 'keep-releases': '2' })).exitCode).toBe(0);
    }
    expect(releases(root)).toEqual(['r3', 'r4']);
    expect(current(root)).toBe('releases/r4');
  });

  it('leaves current untouched when before-switch fails, with the exit code and output in the error', async () => {
    const root = newRoot();
    const source = makeSource({ VERSION: 'v1' });
    expect((await runBundle('backend', { ...connection(root), source, 'release-id': 'r1' })).exitCode).toBe(0);
    const run = await runBundle('backend', {
      ...connection(root),
      source,
      'release-id': 'r2',
      'before-switch': 'echo migrating; echo "relation users does not exist" >&2; exit 7',
    });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('before-switch on');
    expect(run.stdout).toContain('exit code 7');
    expect(run.stdout).toContain('relation users does not exist');
    expect(current(root)).toBe('releases/r1');
    expect(releases(root)).toEqual(['r1']);
    expect(history(root).at(-1)).toMatchObject({ event: 'failed', release: 'r2' });
    expect(run.outputs.release).toBe('r2');
  });

  it('leaves current untouched when the health command fails before the switch', async () => {
    const root = newRoot();
    expect((await runBundle('backend', { ...connection(root), source: makeSource({ VERSION: 'v1' }), 'release-id': 'r1' })).exitCode).toBe(
      0,
    );
    const run = await runBundle('backend', {
      ...connection(root),
      source: makeSource({ VERSION: 'broken' }),
      'release-id': 'r2',
      'health-command': 'test "$(cat VERSION)" != broken',
      'health-timeout': '2s',
    });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('health-command');
    expect(current(root)).toBe('releases/r1');
  });

  it('reverts to the previous release when the health URL fails after the switch', async () => {
    const root = newRoot();
    process.env.DK_HEALTH_ROOT = join(abs(root), 'current');
    const common = {
      ...connection(root),
      'health-url': health.url,
      'health-timeout': '3s',
      'restart-command': 'echo restarted "$DEPLOY_KIT_RELEASE"',
    };
    const first = await runBundle('backend', {
      ...common,
      source: makeSource({ VERSION: 'v1' }),
      'release-id': 'r1',
      'health-expect': '200 v1',
    });
    expect(first.exitCode, first.stdout).toBe(0);
    // The expected body names the new version, which the old release cannot answer after the revert.
    const run = await runBundle('backend', {
      ...common,
      source: makeSource({ VERSION: 'broken' }),
      'release-id': 'r2',
      'health-expect': '200 broken',
    });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/health check .* did not succeed/);
    expect(run.stdout).toContain('HTTP 503');
    expect(run.stdout).toContain('restarted r1');
    expect(run.stdout).toContain('r1 passes the health check again');
    expect(current(root)).toBe('releases/r1');
    expect(history(root).map((h) => h.event)).toEqual(['deploy', 'revert']);
    expect(run.summary).toContain('reverted');
  });

  it('waits for a held lock, fails naming its holder, and takes over a stale one', async () => {
    const root = newRoot();
    const source = makeSource({ VERSION: 'v1' });
    const lock = join(abs(root), '.deploy-kit/lock');
    mkdirSync(lock, { recursive: true });
    writeFileSync(join(lock, 'owner.json'), JSON.stringify({ owner: 'alice', run: 'https://ci/run/7' }));
    writeFileSync(join(lock, 'started'), String(Math.floor(Date.now() / 1000)));
    // The lock belongs to the deploy user, as another run of that user would have left it.
    execFileSync('chown', ['-R', USER, abs(root)]);
    const held = await runBundle('backend', { ...connection(root), source, 'release-id': 'r1', 'lock-wait': '2s' });
    expect(held.exitCode).toBe(1);
    expect(held.stdout).toContain('the deploy lock is held by another run');
    expect(held.stdout).toContain('alice');
    expect(existsSync(join(abs(root), 'current'))).toBe(false);

    writeFileSync(join(lock, 'started'), String(Math.floor(Date.now() / 1000) - 7200));
    const stale = await runBundle('backend', { ...connection(root), source, 'release-id': 'r1', 'lock-wait': '2s', 'lock-ttl': '1h' });
    expect(stale.exitCode, stale.stdout).toBe(0);
    expect(stale.stdout).toMatch(/took over a stale deploy lock .*alice/);
    expect(existsSync(lock)).toBe(false);
  });

  it('serialises two concurrent deploys to the same host', async () => {
    const root = newRoot();
    const source = makeSource({ VERSION: 'v1' });
    const slow = { ...connection(root), source, 'before-switch': 'sleep 2', 'lock-wait': '60s' };
    const [a, b] = await Promise.all([
      runBundle('backend', { ...slow, 'release-id': 'ra' }),
      runBundle('backend', { ...slow, 'release-id': 'rb' }),
    ]);
    expect([a.exitCode, b.exitCode]).toEqual([0, 0]);
    expect(`${a.stdout}${b.stdout}`).toContain('waiting for the deploy lock');
    const events = history(root);
    expect(events.map((e) => e.event)).toEqual(['deploy', 'deploy']);
    expect(events[1]!.previous).toBe(events[0]!.release);
  });

  it('fails when a remote command fails, with its exit code and last lines', async () => {
    const root = newRoot();
    const run = await runBundle('backend', {
      ...connection(root),
      source: makeSource({ VERSION: 'v1' }),
      'release-id': 'r1',
      'restart-command': 'echo "unit app.service not found" >&2; exit 5',
    });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/restart-command \(echo .*\) on dkdeploy@/);
    expect(run.stdout).toContain('exit code 5');
    expect(run.stdout).toContain('unit app.service not found');
    expect(existsSync(join(abs(root), 'current'))).toBe(false);
  });

  it('keeps the private key out of every log line and summary, and removes it in the post step', async () => {
    const root = newRoot();
    const run = await runBundle(
      'backend',
      { ...connection(root), source: makeSource({ VERSION: 'v1' }), 'release-id': 'r1', 'before-switch': 'exit 3' },
      { post: true },
    );
    expect(run.exitCode).toBe(1);
    const keyBody = sshd.privateKey.split('\n')[1]!;
    expect(printed(run)).not.toContain(keyBody);
    expect(run.summary).not.toContain(keyBody);
    expect(run.stdout).toContain(`::add-mask::${keyBody}`);
    expect(run.state['ssh-dir']).toBeTruthy();
    expect(existsSync(run.state['ssh-dir']!)).toBe(false);
  });
});

describe('host key pinning', () => {
  it('fails on a host key mismatch before anything is written', async () => {
    const root = newRoot();
    const run = await runBundle('backend', {
      ...connection(root),
      'known-hosts': sshd.wrongKnownHosts,
      source: makeSource({ VERSION: 'v1' }),
    });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('Host key verification failed');
    expect(run.stdout).toContain('did not match the pinned one');
    expect(existsSync(abs(root))).toBe(false);
  });

  it('accepts a matching SHA256 fingerprint and refuses a different one before login', async () => {
    const root = newRoot();
    const { 'known-hosts': _pinned, ...rest } = connection(root);
    const ok = await runBundle('backend', {
      ...rest,
      'host-fingerprint': sshd.fingerprint,
      source: makeSource({ VERSION: 'v1' }),
      'release-id': 'r1',
    });
    expect(ok.exitCode, ok.stdout).toBe(0);
    const wrong = await runBundle('backend', {
      ...rest,
      'host-fingerprint': `SHA256:${'A'.repeat(43)}`,
      source: makeSource({ VERSION: 'v2' }),
      'release-id': 'r2',
    });
    expect(wrong.exitCode).toBe(1);
    expect(wrong.stdout).toContain('host key mismatch');
    expect(wrong.stdout).toContain(sshd.fingerprint);
    expect(releases(root)).toEqual(['r1']);
  });

  it('requires a pin unless insecure-skip-host-key-check is set, and warns when it is', async () => {
    const root = newRoot();
    const { 'known-hosts': _pinned, ...rest } = connection(root);
    const refused = await runBundle('backend', { ...rest, source: makeSource({ VERSION: 'v1' }) });
    expect(refused.exitCode).toBe(1);
    expect(refused.stdout).toContain('input "known-hosts" or "host-fingerprint"');
    const insecure = await runBundle('backend', {
      ...rest,
      'insecure-skip-host-key-check': 'true',
      source: makeSource({ VERSION: 'v1' }),
      'release-id': 'r1',
    });
    expect(insecure.exitCode, insecure.stdout).toBe(0);
    expect(insecure.stdout).toContain('::warning::insecure-skip-host-key-check is true');
  });

  it('reaches a host through a jump host with both keys pinned', async () => {
    const root = newRoot();
    const run = await runBundle('backend', {
      ...connection(root),
      'jump-host': `${USER}@127.0.0.1:${sshd.port}`,
      source: makeSource({ VERSION: 'v1' }),
      'release-id': 'r1',
    });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(current(root)).toBe('releases/r1');
  });
});
