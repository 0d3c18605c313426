/**
 * The release model under faults (issue 15): the four reproductions of the fault audit, and the
 * fault-injection suite (signals to the running bundle at each phase). Real sshd, the committed
 * bundle run as the runner runs it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { releaseRoot } from '../../harness/services/release-root.js';
import { printed, runBundle } from '../../harness/services/runner.js';
import { ensureUser, type SshServer, startSshd } from '../../harness/services/sshd.js';
import { makeSource } from '../../harness/services/versioned-app.js';

const USER = 'dkfault';
let sshd: SshServer;
let home: string;
let counter = 0;

function newRoot(): string {
  counter += 1;
  return `faults-${process.pid}-${counter}`;
}

function connection(root: string): Record<string, string> {
  return { hosts: `${USER}@127.0.0.1:${sshd.port}`, 'ssh-key': sshd.privateKey, 'known-hosts': sshd.knownHosts, path: root };
}

const layout = (root: string) => releaseRoot(join(home, root));

/** Lays out releases on the host as earlier deploys would have, activated in the given order. */
function seed(root: string, activated: readonly string[], extra: readonly string[] = []): void {
  const dir = join(home, root);
  mkdirSync(join(dir, '.deploy-kit'), { recursive: true });
  mkdirSync(join(dir, 'shared'), { recursive: true });
  for (const id of [...activated, ...extra]) makeSource({ VERSION: id }, join(dir, 'releases', id));
  const lines = activated.map((release) => JSON.stringify({ time: '2026-01-01T00:00:00Z', event: 'switch', release }));
  writeFileSync(join(dir, '.deploy-kit/history.jsonl'), `${lines.join('\n')}\n`);
  if (activated.length > 0) execFileSync('ln', ['-sfn', `releases/${activated.at(-1)}`, join(dir, 'current')]);
  execFileSync('chown', ['-R', `${USER}:${USER}`, dir]);
}

beforeAll(async () => {
  home = ensureUser(USER);
  sshd = await startSshd();
});

afterAll(async () => {
  await sshd?.stop();
});

describe('the four reproductions', () => {
  it('a prune that cannot remove an old release is a warning naming it, never a revert', async () => {
    const root = newRoot();
    seed(root, ['r1', 'r2', 'r3']);
    // A directory in r1 owned by another user (root): the deploy user cannot delete what is in it.
    const stuck = join(home, root, 'releases/r1/uploads');
    mkdirSync(stuck);
    execFileSync('chown', ['root:root', stuck]);
    writeFileSync(join(stuck, 'photo.jpg'), 'x');
    const run = await runBundle('backend', {
      ...connection(root),
      source: makeSource({ VERSION: 'r4' }),
      'release-id': 'r4',
      'keep-releases': '2',
    });
    expect(run.exitCode, printed(run)).toBe(0);
    expect(layout(root).current()).toBe('releases/r4');
    expect(printed(run)).toMatch(/could not remove every old release \(the deploy stands\): r1 /);
    expect(layout(root).history().at(-1)).toMatchObject({ event: 'deploy', release: 'r4' });
    expect(
      layout(root)
        .history()
        .some((line) => line.event === 'revert'),
    ).toBe(false);
    expect(existsSync(join(home, root, '.deploy-kit/lock'))).toBe(false);
  });

  it('an upload that never served is never chosen by rollback, and a partial one is never listed', async () => {
    const root = newRoot();
    // r3 was uploaded completely by a killed run's orphaned rsync, but never activated; .r4.partial was cut.
    seed(root, ['r1', 'r2'], ['r3']);
    mkdirSync(join(home, root, 'releases/.r4.partial'));
    execFileSync('chown', ['-R', `${USER}:${USER}`, join(home, root, 'releases')]);
    const run = await runBundle('rollback', connection(root));
    expect(run.exitCode, printed(run)).toBe(0);
    expect(layout(root).current()).toBe('releases/r1');
    expect(run.outputs).toMatchObject({ release: 'r1', 'previous-release': 'r2' });
    expect(layout(root).releases()).not.toContain('.r4.partial');
  });

  it('v1…v12 with keep-releases 3: prune keeps v10–v12 (activation order, not names)', async () => {
    const root = newRoot();
    seed(
      root,
      Array.from({ length: 11 }, (_, i) => `v${i + 1}`),
    );
    const run = await runBundle('backend', {
      ...connection(root),
      source: makeSource({ VERSION: 'v12' }),
      'release-id': 'v12',
      'keep-releases': '3',
    });
    expect(run.exitCode, printed(run)).toBe(0);
    expect(layout(root).releases()).toEqual(['v10', 'v11', 'v12']);
    const back = await runBundle('rollback', connection(root));
    expect(back.exitCode, printed(back)).toBe(0);
    expect(layout(root).current()).toBe('releases/v11');
  });

  it('a link in the release plus a nested shared path refuses the deploy and touches nothing outside', async () => {
    const root = newRoot();
    seed(root, ['r1']);
    const elsewhere = join(home, `${root}-elsewhere`);
    makeSource({ 'data/keep.txt': 'precious' }, elsewhere);
    execFileSync('chown', ['-R', `${USER}:${USER}`, elsewhere]);
    const source = makeSource({ VERSION: 'r2' });
    execFileSync('ln', ['-s', elsewhere, join(source, 'storage')]);
    const run = await runBundle('backend', { ...connection(root), source, 'release-id': 'r2', 'shared-dirs': 'storage/data' });
    expect(run.exitCode).toBe(1);
    expect(printed(run)).toContain(`shared path storage/data resolves to ${elsewhere}/data, outside the release`);
    expect(readFileSync(join(elsewhere, 'data/keep.txt'), 'utf8')).toBe('precious');
    expect(layout(root).current()).toBe('releases/r1');
    expect(layout(root).releases()).toEqual(['r1']);
    expect(existsSync(join(home, root, '.deploy-kit/lock'))).toBe(false);
  });
});

describe('smaller refusals', () => {
  it('a release with no files (exclude: "*") is refused and current stays', async () => {
    const root = newRoot();
    seed(root, ['r1']);
    const run = await runBundle('backend', {
      ...connection(root),
      source: makeSource({ VERSION: 'r2' }),
      'release-id': 'r2',
      exclude: '*',
    });
    expect(run.exitCode).toBe(1);
    expect(printed(run)).toContain('release r2 has no files');
    expect(layout(root).current()).toBe('releases/r1');
    expect(layout(root).releases()).toEqual(['r1']);
  });
});
