import { readFileSync } from 'node:fs';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { type DigitalOceanDouble, startDigitalOceanDouble } from '../../harness/doubles/digitalocean.js';
import { printed, runBundle } from '../../harness/services/runner.js';

let digitalocean: DigitalOceanDouble;

beforeEach(async () => {
  digitalocean = await startDigitalOceanDouble();
});

afterEach(async () => {
  await digitalocean.close();
});

function inputs(extra: Record<string, string> = {}): Record<string, string> {
  return { provider: 'digitalocean', 'app-id': digitalocean.appId, token: digitalocean.token, 'api-url': digitalocean.url, ...extra };
}

const posts = (suffix: string) => digitalocean.requests.filter((r) => r.method === 'POST' && r.path.endsWith(suffix));

describe('backend provider digitalocean', () => {
  it('creates a deployment, follows its phase to ACTIVE and sets deploy-id, url and status', async () => {
    const run = await runBundle('backend', inputs(), { post: true });
    expect(run.exitCode, run.stdout).toBe(0);
    const deployment = digitalocean.deployments[0]!;
    expect(posts('/deployments')[0]!.json).toEqual({ force_build: false });
    expect(deployment.phase).toBe('ACTIVE');
    expect(run.outputs).toMatchObject({ 'deploy-id': deployment.id, status: 'ACTIVE', url: digitalocean.liveUrl });
    expect(run.stdout).toMatch(/BUILDING[\s\S]*DEPLOYING[\s\S]*ACTIVE/);
    expect(run.summary).toContain(deployment.id);
  });

  it('redeploys with force_build, and the earlier deployment becomes SUPERSEDED', async () => {
    const first = digitalocean.seed('ACTIVE');
    const run = await runBundle('backend', inputs({ 'force-build': 'true' }));
    expect(run.exitCode, run.stdout).toBe(0);
    expect(posts('/deployments')[0]!.json).toEqual({ force_build: true });
    expect(first.phase).toBe('SUPERSEDED');
    expect(digitalocean.active()).toBe(run.outputs['deploy-id']);
  });

  it.each([
    ['build_error', /at step build-web: npm run build exited with code 1[\s\S]*build\.log/],
    ['deploy_error', /at step deploy-web: health check failed on \/healthz[\s\S]*deploy\.log/],
  ] as const)('fails on %s naming the failed step and its log URL', async (outcome, message) => {
    digitalocean.outcomes.push(outcome);
    const run = await runBundle('backend', inputs());
    expect(run.exitCode).not.toBe(0);
    expect(run.stdout).toMatch(/ended ERROR/);
    expect(run.stdout).toMatch(message);
    expect(run.outputs).toMatchObject({ status: 'ERROR', 'deploy-id': digitalocean.deployments[0]!.id });
  });

  it('cancels the deployment when the timeout passes', async () => {
    digitalocean.outcomes.push('stuck');
    const run = await runBundle('backend', inputs({ timeout: '2s' }));
    expect(run.exitCode).not.toBe(0);
    const deployment = digitalocean.deployments[0]!;
    expect(posts(`/deployments/${deployment.id}/cancel`)).toHaveLength(1);
    expect(deployment.phase).toBe('CANCELED');
    expect(run.stdout).toMatch(/did not succeed within 2s.*canceled it/s);
    expect(run.outputs.status).toBe('CANCELED');
  });

  it('waits out a 429 with Retry-After and retries a 503', async () => {
    digitalocean.faults.push(
      { status: 429, method: 'POST', pathEndsWith: '/deployments', retryAfterSeconds: 1 },
      { status: 503, method: 'GET' },
    );
    const run = await runBundle('backend', inputs());
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.stdout).toMatch(/returned 429; retrying in 1000 ms/);
    expect(posts('/deployments')).toHaveLength(2);
    expect(digitalocean.deployments).toHaveLength(1);
  });

  it('names the input on a bad token, a read-only token and an unknown app', async () => {
    const bad = await runBundle('backend', inputs({ token: 'dop_v1_wrong' }));
    expect(bad.stdout).toMatch(/input "token": DigitalOcean refused the token \(401: Unable to authenticate you/);
    const readOnly = await runBundle('backend', inputs({ token: digitalocean.readToken }));
    expect(readOnly.stdout).toMatch(/input "token": DigitalOcean refused the token \(403/);
    const unknown = await runBundle('backend', inputs({ 'app-id': '00000000-0000-4000-8000-000000000000' }));
    expect(unknown.stdout).toMatch(/input "app-id": DigitalOcean has no app 00000000/);
    expect(digitalocean.deployments).toHaveLength(0);
  });

  it('keeps the token out of the log, the outputs and the summary', async () => {
    digitalocean.outcomes.push('build_error');
    const run = await runBundle('backend', inputs());
    const files = ['GITHUB_OUTPUT', 'GITHUB_STEP_SUMMARY', 'GITHUB_STATE'].map((f) => readFileSync(run.env[f]!, 'utf8'));
    for (const text of [printed(run), ...files]) expect(text).not.toContain(digitalocean.token);
  });
});

describe('rollback provider digitalocean', () => {
  it('validates, rolls back to the deployment live before the active one, and commits', async () => {
    const good = digitalocean.seed('SUPERSEDED');
    digitalocean.seed('ERROR');
    const current = digitalocean.seed('ACTIVE');
    const run = await runBundle('rollback', inputs());
    expect(run.exitCode, run.stdout).toBe(0);
    expect(posts('/rollback/validate')[0]!.json).toEqual({ deployment_id: good.id, skip_pin: false });
    expect(posts('/rollback')[0]!.json).toEqual({ deployment_id: good.id, skip_pin: false });
    expect(posts('/rollback/commit')).toHaveLength(1);
    expect(digitalocean.pinned()).toBeUndefined();
    const rollback = digitalocean.deployments[0]!;
    expect(rollback.phase).toBe('ACTIVE');
    expect(run.outputs).toMatchObject({ release: good.id, 'previous-release': current.id, 'deploy-id': rollback.id, status: 'ACTIVE' });
    expect(run.stdout).toMatch(/static site component will be rebuilt/);
  });

  it('reverts a rollback that fails, so the app is not left pinned', async () => {
    digitalocean.seed('SUPERSEDED');
    digitalocean.seed('ACTIVE');
    digitalocean.outcomes.push('deploy_error');
    const run = await runBundle('rollback', inputs());
    expect(run.exitCode).not.toBe(0);
    expect(run.stdout).toMatch(/ended ERROR.*reverted the rollback/s);
    expect(posts('/rollback/revert')).toHaveLength(1);
    expect(posts('/rollback/commit')).toHaveLength(0);
    expect(digitalocean.pinned()).toBeUndefined();
  });

  it('refuses a deployment the API says is not valid, and fails clearly with nothing earlier', async () => {
    const failed = digitalocean.seed('ERROR');
    digitalocean.seed('ACTIVE');
    const invalid = await runBundle('rollback', inputs({ to: failed.id }));
    expect(invalid.exitCode).not.toBe(0);
    expect(invalid.stdout).toMatch(/refuses to roll back .*deployment is ERROR/);
    const none = await runBundle('rollback', inputs());
    expect(none.stdout).toMatch(/no earlier deployment to roll back to/);
    expect(posts('/rollback')).toHaveLength(0);
  });
});
