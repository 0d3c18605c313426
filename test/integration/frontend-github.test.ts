import { afterEach, describe, expect, it } from 'vitest';

import { type GitHubDouble, type GitHubOptions, startGitHub } from '../../harness/doubles/github.js';
import { startVercel, type VercelDouble } from '../../harness/doubles/vercel.js';
import { makeSite, PR_SHA, prEvent, pushEvent } from '../../harness/fixtures/frontend.js';
import { runBundle } from '../../harness/services/runner.js';

const TOKEN = 'vercel-token-0123456789';
const GH_TOKEN = 'ghs_0123456789abcdefghij';
let vercel: VercelDouble | undefined;
let github: GitHubDouble | undefined;

async function start(options: Partial<GitHubOptions> = {}): Promise<{ v: VercelDouble; gh: GitHubDouble }> {
  vercel = await startVercel({ token: TOKEN, buildPolls: 1 });
  github = await startGitHub({ token: GH_TOKEN, ...options });
  return { v: vercel, gh: github };
}

afterEach(async () => {
  await vercel?.close();
  await github?.close();
  vercel = github = undefined;
});

const run = (v: VercelDouble, gh: GitHubDouble, env: Record<string, string>, extra: Record<string, string> = {}) =>
  runBundle(
    'frontend',
    { provider: 'vercel', dir: makeSite(2), token: TOKEN, project: 'shop-web', 'api-url': v.url, 'github-token': GH_TOKEN, ...extra },
    { env: { ...env, GITHUB_API_URL: gh.url } },
  );

describe('frontend on GitHub', () => {
  it('keeps one sticky comment per provider and site, updated in place across runs, past 100 other comments', async () => {
    const { v, gh } = await start();
    gh.seedComments(5, 130);
    for (let i = 0; i < 3; i += 1) {
      const result = await run(v, gh, prEvent(5));
      expect(result.exitCode, result.stdout).toBe(0);
    }
    const ours = gh.comments.filter((c) => c.body.includes('<!-- deploy-kit:frontend:vercel:shop-web -->'));
    expect(ours).toHaveLength(1);
    expect(ours[0]!.body).toContain(v.deployments[2]!.url);
    expect(ours[0]!.body).toContain(PR_SHA.slice(0, 7));
    expect(ours[0]!.body).toContain('/actions/runs/42');
    const listings = gh.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/issues/5/comments'));
    expect(listings.some((r) => r.query.get('page') === '2' && r.query.get('per_page') === '100')).toBe(true);
    const other = await run(v, gh, prEvent(5), { project: 'shop-admin' });
    expect(other.exitCode).toBe(0);
    expect(gh.comments.filter((c) => c.issue === 5)).toHaveLength(132);
  });

  it('records a deployment with in_progress then success statuses carrying the environment URL and log URL', async () => {
    const { v, gh } = await start();
    const result = await run(v, gh, pushEvent('main'));
    expect(result.exitCode, result.stdout).toBe(0);
    const [deployment] = gh.deployments;
    expect(deployment).toMatchObject({
      ref: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
      environment: 'production',
      production_environment: true,
      transient_environment: false,
    });
    expect(result.outputs['deployment-id']).toBe(String(deployment!.id));
    expect(deployment!.statuses.map((s) => s.state)).toEqual(['in_progress', 'success']);
    expect(deployment!.statuses[1]).toMatchObject({
      environment: 'production',
      environment_url: result.outputs.url,
      log_url: 'https://github.com/acme/shop/actions/runs/42',
      auto_inactive: true,
    });
    expect(gh.comments).toHaveLength(0);
  });

  it('marks the deployment failed and says so in the PR comment when the build fails', async () => {
    const { v, gh } = await start();
    v.options.failBuild = 'Build exceeded memory';
    const result = await run(v, gh, prEvent(6));
    expect(result.exitCode).toBe(1);
    expect(gh.deployments[0]).toMatchObject({ environment: 'preview', ref: PR_SHA, transient_environment: true });
    expect(gh.deployments[0]!.statuses.map((s) => s.state)).toEqual(['in_progress', 'failure']);
    expect(gh.comments[0]!.body).toContain('Build exceeded memory');
  });

  it('names the missing permission when the token may not create deployments or comment', async () => {
    const { v, gh } = await start({ deny: ['deployments'] });
    const noDeployments = await run(v, gh, prEvent(5));
    expect(noDeployments.exitCode).toBe(1);
    expect(noDeployments.stdout).toContain('deployments: write');
    expect(v.deployments).toHaveLength(0);
    await gh.close();
    github = await startGitHub({ token: GH_TOKEN, deny: ['comments'] });
    const noComments = await run(v, github, prEvent(5));
    expect(noComments.exitCode).toBe(1);
    expect(noComments.stdout).toContain('pull-requests: write');
    expect(noComments.outputs.url).toMatch(/vercel\.app/);
  });
});
