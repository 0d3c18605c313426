import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { startVercel, type VercelDouble, type VercelOptions } from '../../harness/doubles/vercel.js';
import { makeSite, prEvent, pushEvent } from '../../harness/fixtures/frontend.js';
import { printed, runBundle } from '../../harness/services/runner.js';

const TOKEN = 'vercel-token-0123456789';
let vercel: VercelDouble | undefined;

async function start(options: Partial<VercelOptions> = {}): Promise<VercelDouble> {
  vercel = await startVercel({ token: TOKEN, buildPolls: 2, ...options });
  return vercel;
}

afterEach(async () => {
  await vercel?.close();
  vercel = undefined;
});

const inputs = (v: VercelDouble, dir: string, extra: Record<string, string> = {}) => ({
  provider: 'vercel',
  dir,
  token: TOKEN,
  project: 'shop-web',
  'api-url': v.url,
  ...extra,
});

describe('frontend on vercel', () => {
  it('uploads every file on the first deploy and exactly the changed one on a redeploy', async () => {
    const v = await start();
    const dir = makeSite(10);
    const first = await runBundle('frontend', inputs(v, dir), { env: pushEvent('main') });
    expect(first.exitCode, first.stdout).toBe(0);
    expect(first.outputs).toMatchObject({ 'files-total': '11', 'files-uploaded': '11', skipped: 'false' });
    expect(first.outputs.url).toBe('https://shop-web.vercel.app');
    expect(first.outputs['provider-deployment-id']).toBe(v.deployments[0]!.id);
    expect(v.deployments[0]!.readyState).toBe('READY');

    writeFileSync(join(dir, 'assets/chunk-3.js'), 'console.log("changed");\n');
    const second = await runBundle('frontend', inputs(v, dir), { env: pushEvent('main') });
    expect(second.exitCode, second.stdout).toBe(0);
    expect(second.outputs['files-uploaded']).toBe('1');
    expect(v.uploads).toHaveLength(12);
    expect(v.uploads.at(-1)!.body.toString()).toContain('changed');
    expect(second.summary).toContain('1 of 11');
  });

  it('deploys to production on the default branch and a preview on pull requests and other branches', async () => {
    const v = await start();
    const dir = makeSite(2);
    expect((await runBundle('frontend', inputs(v, dir), { env: pushEvent('main') })).exitCode).toBe(0);
    const preview = await runBundle('frontend', inputs(v, dir), { env: prEvent(7) });
    expect(preview.exitCode, preview.stdout).toBe(0);
    expect((await runBundle('frontend', inputs(v, dir), { env: pushEvent('staging') })).exitCode).toBe(0);
    expect((await runBundle('frontend', inputs(v, dir, { environment: 'production' }), { env: pushEvent('staging') })).exitCode).toBe(0);
    expect(v.deployments.map((d) => d.target)).toEqual(['production', null, null, 'production']);
    expect(preview.outputs.url).toBe(`https://${v.deployments[1]!.url}`);
    const creates = v.requests.filter((r) => r.method === 'POST' && r.path === '/v13/deployments' && r.json);
    expect(creates.map((r) => (r.json as { gitMetadata: { commitRef: string } }).gitMetadata.commitRef)).toContain('feature/x');
  });

  it('sends teamId on every call when a team is set, and waits out a 429', async () => {
    const v = await start({ rateLimitCreates: 1, failUploads: 1 });
    const run = await runBundle('frontend', inputs(v, makeSite(3), { team: 'team_abc123' }), { env: pushEvent('main') });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.stdout).toContain('returned 429; retrying in 1000 ms');
    expect(v.requests.length).toBeGreaterThan(5);
    for (const r of v.requests) expect(r.query.get('teamId'), `${r.method} ${r.path}`).toBe('team_abc123');
  });

  it('fails with the build error message when the deployment ends in ERROR', async () => {
    const v = await start({ failBuild: 'Command "vite build" exited with 1' });
    const run = await runBundle('frontend', inputs(v, makeSite(2)), { env: pushEvent('main') });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/Vercel deployment dpl_\w+ ended ERROR: Command "vite build" exited with 1/);
    expect(run.outputs['provider-deployment-id']).toBe(v.deployments[0]!.id);
  });

  it('cancels the deployment on timeout and says which state it was in', async () => {
    const v = await start({ hang: true });
    const run = await runBundle('frontend', inputs(v, makeSite(2), { timeout: '3s' }), { env: pushEvent('main') });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/was still BUILDING after 3s; cancelled it/);
    expect(v.deployments[0]!.readyState).toBe('CANCELED');
    expect(v.requests.some((r) => r.method === 'PATCH' && r.path === `/v12/deployments/${v.deployments[0]!.id}/cancel`)).toBe(true);
  });

  it('points an alias at a preview and reports an alias error without failing the deploy', async () => {
    const v = await start({ takenAliases: ['taken.example.com'] });
    const ok = await runBundle('frontend', inputs(v, makeSite(2), { alias: 'pr-7.example.com' }), { env: prEvent(7) });
    expect(ok.exitCode, ok.stdout).toBe(0);
    expect(ok.outputs.url).toBe('https://pr-7.example.com');
    expect(v.aliases.get('pr-7.example.com')).toBe(v.deployments[0]!.id);
    const taken = await runBundle('frontend', inputs(v, makeSite(2), { alias: 'taken.example.com' }), { env: prEvent(7) });
    expect(taken.exitCode, taken.stdout).toBe(0);
    expect(taken.stdout).toContain('already in use by another project');
    expect(taken.summary).toContain('alias error');
  });

  it('rejects a missing project and an unknown provider before any request', async () => {
    const v = await start();
    const noProject = await runBundle('frontend', { ...inputs(v, makeSite(1)), project: '' }, { env: pushEvent('main') });
    expect(noProject.exitCode).toBe(1);
    expect(noProject.stdout).toContain('input "project"');
    const unknown = await runBundle('frontend', inputs(v, makeSite(1), { provider: 'surge' }), { env: pushEvent('main') });
    expect(unknown.stdout).toContain('expected one of vercel, netlify, ssh');
    expect(v.requests).toHaveLength(0);
  });

  it('never prints the token', async () => {
    const v = await start();
    const run = await runBundle('frontend', inputs(v, makeSite(1)), { env: pushEvent('main') });
    expect(printed(run) + run.summary).not.toContain(TOKEN);
  });

  it('after an Instant Rollback, promotes the next production deployment that Vercel left staged, and says so', async () => {
    const v = await start();
    const dir = makeSite(2);
    expect((await runBundle('frontend', inputs(v, dir), { env: pushEvent('main') })).exitCode).toBe(0);
    writeFileSync(join(dir, 'index.html'), '<h1>v2</h1>\n');
    expect((await runBundle('frontend', inputs(v, dir), { env: pushEvent('main') })).exitCode).toBe(0);
    const [v1, v2] = v.deployments;
    expect(v.production.get('shop-web')).toBe(v2!.id);
    // Someone rolls production back to v1 in the dashboard (Instant Rollback): auto-assignment goes off.
    const rollback = await fetch(`${v.url}/v1/projects/shop-web/rollback/${v1!.id}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(rollback.status).toBe(201);
    expect(v.production.get('shop-web')).toBe(v1!.id);

    writeFileSync(join(dir, 'index.html'), '<h1>v3</h1>\n');
    const v3run = await runBundle('frontend', inputs(v, dir), { env: pushEvent('main') });
    expect(v3run.exitCode, v3run.stdout).toBe(0);
    const v3 = v.deployments[2]!;
    expect(v.promotions).toEqual([{ project: 'shop-web', deploymentId: v3.id }]);
    expect(v.production.get('shop-web')).toBe(v3.id);
    expect(v3run.stdout).toMatch(/::warning::Vercel: production deployment dpl_\w+ is READY but the production domains do not point at it/);
    expect(v3run.summary).toContain(`promoted ${v3.id} to production`);
    expect(v3run.outputs.url).toBe('https://shop-web.vercel.app');

    // Promoting turned auto-assignment back on: the next deploy is assigned without a promotion.
    writeFileSync(join(dir, 'index.html'), '<h1>v4</h1>\n');
    expect((await runBundle('frontend', inputs(v, dir), { env: pushEvent('main') })).exitCode).toBe(0);
    expect(v.promotions).toHaveLength(1);
    expect(v.production.get('shop-web')).toBe(v.deployments[3]!.id);
  });

  it('never promotes a preview', async () => {
    const v = await start();
    const run = await runBundle('frontend', inputs(v, makeSite(1)), { env: prEvent(7) });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(v.promotions).toHaveLength(0);
  });
});
