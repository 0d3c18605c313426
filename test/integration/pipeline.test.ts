import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { releaseRoot } from '../../harness/services/release-root.js';
import { printed, runBundle } from '../../harness/services/runner.js';
import { ensureUser, type SshServer, startSshd } from '../../harness/services/sshd.js';
import { makeSource } from '../../harness/services/versioned-app.js';

const USER = 'dkdeploy';
let sshd: SshServer;
let home: string;

beforeAll(async () => {
  home = ensureUser(USER);
  sshd = await startSshd();
});

afterAll(async () => {
  await sshd?.stop();
});

function backendBlock(root: string, extra = ''): string {
  return [
    `hosts: ${USER}@127.0.0.1:${sshd.port}`,
    `path: ${root}`,
    `source: ${makeSource({ VERSION: 'v1' })}`,
    'known-hosts: |',
    ...sshd.knownHosts
      .trim()
      .split('\n')
      .map((line) => `  ${line}`),
    extra,
  ].join('\n');
}

describe('the root action (one step per strategy)', () => {
  it('runs the monolithic chain and prefixes each stage output with its stage', async () => {
    const root = `pipe-${process.pid}-1`;
    const run = await runBundle('deploy', {
      strategy: 'monolithic',
      backend: backendBlock(root, 'release-id: r1'),
      'ssh-key': sshd.privateKey,
    });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.stdout).toContain('strategy monolithic: backend');
    expect(run.outputs['backend-release']).toBe('r1');
    expect(releaseRoot(join(home, root)).current()).toBe('releases/r1');
    const keyBody = sshd.privateKey.split('\n')[1]!;
    expect(printed(run)).not.toContain(keyBody);
  });

  it('refuses an unknown input in a stage block before anything runs', async () => {
    const root = `pipe-${process.pid}-2`;
    const run = await runBundle('deploy', {
      strategy: 'monolithic',
      backend: backendBlock(root, 'hostz: typo'),
      'ssh-key': sshd.privateKey,
    });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('input "backend": unknown input "hostz"');
    expect(existsSync(join(home, root))).toBe(false);
  });

  it('names the stage and the input when a stage input is invalid', async () => {
    const root = `pipe-${process.pid}-3`;
    const run = await runBundle('deploy', {
      strategy: 'monolithic',
      backend: backendBlock(root, 'keep-releases: many'),
      'ssh-key': sshd.privateKey,
    });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('backend: input "keep-releases": expected a whole number');
    expect(existsSync(join(home, root))).toBe(false);
  });

  it('refuses an unknown strategy', async () => {
    const run = await runBundle('deploy', { strategy: 'serverless', backend: backendBlock('x') });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('input "strategy": expected one of monolithic, separated, containerized');
  });
});
