// The separated strategy end to end, as the root action runs it on a pull request: the API rolled out
// over a real sshd, the SPA published as a Vercel preview (API double), the sticky PR comment and the
// GitHub Deployment (API double), then smoke checks against the API.
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, expect, it } from 'vitest';

import { type GitHubDouble, startGitHub } from '../../harness/doubles/github.js';
import { startVercel, type VercelDouble } from '../../harness/doubles/vercel.js';
import { makeSite, prEvent } from '../../harness/fixtures/frontend.js';
import { freePort } from '../../harness/services/ports.js';
import { releaseRoot } from '../../harness/services/release-root.js';
import { ROOT, runBundle } from '../../harness/services/runner.js';
import { ensureUser, type SshServer, startSshd } from '../../harness/services/sshd.js';
import { stopSampleApp } from '../../harness/services/versioned-app.js';

const USER = 'dkdeploy';
const VERCEL_TOKEN = 'vercel-token-0123456789';
const GH_TOKEN = 'ghs_0123456789abcdefghij';
let sshd: SshServer;
let vercel: VercelDouble;
let github: GitHubDouble;
let home: string;
let appPort: number;
const root = `e2e-sep-${process.pid}`;

beforeAll(async () => {
  home = ensureUser(USER);
  appPort = await freePort();
  [sshd, vercel, github] = await Promise.all([
    startSshd(),
    startVercel({ token: VERCEL_TOKEN, buildPolls: 2 }),
    startGitHub({ token: GH_TOKEN }),
  ]);
});

afterAll(async () => {
  stopSampleApp(join(home, root));
  await Promise.all([sshd?.stop(), vercel?.close(), github?.close()]);
});

it('rolls the API out, publishes a preview with one sticky comment, and passes the smoke checks', async () => {
  const api = join(mkdtempSync(join(tmpdir(), 'dk-e2e-')), 'backend');
  cpSync(join(ROOT, 'examples/app/backend'), api, { recursive: true });
  const health = `http://127.0.0.1:${appPort}/health`;
  const inputs = {
    strategy: 'separated',
    'ssh-key': sshd.privateKey,
    token: VERCEL_TOKEN,
    'github-token': GH_TOKEN,
    backend: [
      `hosts: ${USER}@127.0.0.1:${sshd.port}`,
      `path: ${root}`,
      `source: ${api}`,
      `known-hosts: ${JSON.stringify(sshd.knownHosts.trim())}`,
      `restart-command: PORT=${appPort} bin/restart`,
      `health-url: ${health}`,
      'health-timeout: 30s',
    ].join('\n'),
    frontend: `provider: vercel\ndir: ${makeSite(4)}\nproject: shop-web\napi-url: ${vercel.url}`,
    smoke: `url: ${health}\nexpect: '200 "status": "ok"'\ndeadline: 30s`,
  };
  const env = { ...prEvent(12), GITHUB_API_URL: github.url };
  for (let i = 0; i < 2; i += 1) {
    const run = await runBundle('deploy', inputs, { env });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.stdout).toContain('strategy separated: backend → frontend → smoke');
    expect(releaseRoot(join(home, root)).current()).toBe(`releases/${run.outputs['backend-release']}`);
    expect(run.outputs['frontend-url']).toBe(`https://${vercel.deployments.at(-1)!.url}`);
    expect(run.outputs['smoke-passed']).toBe('true');
  }
  // Two previews, one comment updated in place, and a deployment per run marked successful.
  expect(vercel.deployments.map((d) => d.target)).toEqual([null, null]);
  const comments = github.comments.filter((c) => c.issue === 12 && c.body.includes('<!-- deploy-kit:frontend:vercel:shop-web -->'));
  expect(comments).toHaveLength(1);
  expect(comments[0]!.body).toContain(vercel.deployments[1]!.url);
  expect(github.deployments.map((d) => d.statuses.at(-1)?.state)).toEqual(['success', 'success']);
});
