import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { type RenderDouble, startRenderDouble } from '../../harness/doubles/render.js';
import { printed, runBundle } from '../../harness/services/runner.js';

let render: RenderDouble;
const IMAGE = `127.0.0.1:5000/acme/shop@sha256:${'a'.repeat(64)}`;

beforeEach(async () => {
  render = await startRenderDouble();
});

afterEach(async () => {
  await render.close();
});

function inputs(extra: Record<string, string> = {}): Record<string, string> {
  return { provider: 'render', service: render.serviceId, token: render.token, 'api-url': render.url, ...extra };
}

const triggers = () => render.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/deploys'));

describe('backend provider render', () => {
  it('deploys an image pinned by digest, waits for live and sets deploy-id, url and status', async () => {
    const run = await runBundle('backend', inputs({ image: IMAGE }), { post: true });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(triggers()).toHaveLength(1);
    expect(triggers()[0]!.body).toEqual({ clearCache: 'do_not_clear', imageUrl: IMAGE });
    expect(render.requests.every((r) => r.authorization === `Bearer ${render.token}`)).toBe(true);
    const deployed = render.deploys()[0]!;
    expect(deployed.status).toBe('live');
    expect(run.outputs).toMatchObject({ 'deploy-id': deployed.id, status: 'live', url: render.serviceUrl });
    expect(run.summary).toContain(deployed.id);
    expect(printed(run)).not.toContain(render.token);
    expect(run.stdout).not.toMatch(/cleanup/);
  });

  it('deploys a commit and asks Render to clear the build cache', async () => {
    const commit = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
    const run = await runBundle('backend', inputs({ commit, 'clear-cache': 'true' }));
    expect(run.exitCode, run.stdout).toBe(0);
    expect(triggers()[0]!.body).toEqual({ clearCache: 'clear', commitId: commit });
  });

  it.each(['build_failed', 'update_failed', 'pre_deploy_failed'] as const)(
    'fails naming %s and reports it in the outputs',
    async (outcome) => {
      render.outcomes.push(outcome);
      const run = await runBundle('backend', inputs({ image: IMAGE }));
      expect(run.exitCode).not.toBe(0);
      expect(run.stdout).toMatch(new RegExp(`ended ${outcome}`));
      expect(run.outputs.status).toBe(outcome);
      expect(run.outputs['deploy-id']).toBe(render.deploys()[0]!.id);
    },
  );

  it('finds a deploy queued with 202 by listing deploys created since the trigger', async () => {
    render.seed('live');
    render.queueNext = true;
    const commit = 'feedbeef00112233445566778899aabbccddeeff';
    const run = await runBundle('backend', inputs({ commit }));
    expect(run.exitCode, run.stdout).toBe(0);
    const listing = render.requests.find((r) => r.method === 'GET' && r.path.endsWith('/deploys'));
    expect(listing?.query.createdAfter).toMatch(/^\d{4}-\d\d-\d\dT/);
    const mine = render.deploys().find((d) => d.commit?.id === commit)!;
    expect(run.outputs['deploy-id']).toBe(mine.id);
    expect(mine.status).toBe('live');
    expect(run.stdout).toContain('queued');
  });

  it('waits out a 429 on the trigger as Retry-After says', async () => {
    render.rateLimitNext = 1;
    const run = await runBundle('backend', inputs({ image: IMAGE }));
    expect(run.exitCode, run.stdout).toBe(0);
    expect(triggers()).toHaveLength(2);
    expect(render.deploys()).toHaveLength(1);
    expect(run.stdout).toMatch(/429; retrying in 1000 ms/);
  });

  it('cancels the deploy when the timeout passes and says so', async () => {
    render.outcomes.push('stuck');
    const run = await runBundle('backend', inputs({ image: IMAGE, timeout: '2s' }));
    expect(run.exitCode).not.toBe(0);
    const deploy = render.deploys()[0]!;
    expect(render.requests.some((r) => r.method === 'POST' && r.path.endsWith(`/deploys/${deploy.id}/cancel`))).toBe(true);
    expect(deploy.status).toBe('canceled');
    expect(run.stdout).toMatch(/did not succeed within 2s.*canceled it/s);
    expect(run.outputs.status).toBe('canceled');
  });

  it('rejects a bad key, an unknown service and contradictory inputs as configuration errors', async () => {
    const badKey = await runBundle('backend', inputs({ image: IMAGE, token: 'rnd_wrong_key_000' }));
    expect(badKey.stdout).toMatch(/configuration error[\s\S]*input "token"/);
    const unknown = await runBundle('backend', inputs({ image: IMAGE, service: 'srv-nosuchservice' }));
    expect(unknown.stdout).toMatch(/input "service": Render has no service srv-nosuchservice/);
    const before = render.requests.length;
    const both = await runBundle('backend', inputs({ image: IMAGE, commit: 'a1b2c3d' }));
    expect(both.stdout).toMatch(/inputs "commit" and "image"/);
    const noToken = await runBundle('backend', inputs({ token: '' }));
    expect(noToken.stdout).toMatch(/input "token"/);
    expect(render.requests.length).toBe(before);
    expect(triggers()).toHaveLength(0);
  });

  it('triggers a deploy through the deploy hook without an API key, keeping the hook URL out of the log', async () => {
    const run = await runBundle('backend', { provider: 'render', 'deploy-hook-url': render.hookUrl, image: IMAGE });
    expect(run.exitCode, run.stdout).toBe(0);
    const deploy = render.deploys()[0]!;
    expect(deploy.image?.ref).toBe(IMAGE);
    expect(run.outputs).toMatchObject({ 'deploy-id': deploy.id, status: 'created' });
    expect(run.stdout).toMatch(/cannot wait for it/);
    expect(printed(run)).not.toContain('hk_0a1b2c3d4e5f');
    const refused = await runBundle('backend', { provider: 'render', 'deploy-hook-url': render.hookUrl.replace(/key=.*/, 'key=wrong') });
    expect(refused.stdout).toMatch(/input "deploy-hook-url": Render refused the hook/);
  });
});

describe('rollback provider render', () => {
  it('returns to the deploy that was live before the current one, skipping failed ones', async () => {
    const good = render.seed('deactivated', '1111111111111111111111111111111111111111');
    render.seed('build_failed', '2222222222222222222222222222222222222222');
    const current = render.seed('live', '3333333333333333333333333333333333333333');
    const run = await runBundle('rollback', inputs());
    expect(run.exitCode, run.stdout).toBe(0);
    expect(render.requests.find((r) => r.path.endsWith('/rollback'))?.body).toEqual({ deployId: good.id });
    const rollbackDeploy = render.deploys()[0]!;
    expect(rollbackDeploy).toMatchObject({ trigger: 'rollback', status: 'live', commit: { id: good.commit!.id } });
    expect(render.deploys().find((d) => d.id === current.id)!.status).toBe('deactivated');
    expect(run.outputs).toMatchObject({ release: good.id, 'previous-release': current.id, 'deploy-id': rollbackDeploy.id, status: 'live' });
  });

  it('rolls back to a named deploy, and fails clearly when there is nothing earlier', async () => {
    const old = render.seed('deactivated');
    render.seed('live');
    const named = await runBundle('rollback', inputs({ to: old.id }));
    expect(named.exitCode, named.stdout).toBe(0);
    expect(named.outputs.release).toBe(old.id);

    const fresh = await startRenderDouble();
    fresh.seed('live');
    const none = await runBundle('rollback', { provider: 'render', service: fresh.serviceId, token: fresh.token, 'api-url': fresh.url });
    await fresh.close();
    expect(none.exitCode).not.toBe(0);
    expect(none.stdout).toMatch(/no earlier live deploy/);
    expect(fresh.requests.some((r) => r.path.endsWith('/rollback'))).toBe(false);
  });
});
