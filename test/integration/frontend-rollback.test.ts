import { afterEach, describe, expect, it } from 'vitest';

import { NETLIFY_PREFIX, type NetlifyDouble, startNetlify } from '../../harness/doubles/netlify.js';
import { startVercel, type VercelDouble } from '../../harness/doubles/vercel.js';
import { makeSite, pushEvent } from '../../harness/fixtures/frontend.js';
import { runBundle } from '../../harness/services/runner.js';

const TOKEN = 'rollback-token-0123456789';
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function vercelWithThreeDeploys(): Promise<VercelDouble> {
  const v = await startVercel({ token: TOKEN, buildPolls: 1 });
  closers.push(() => v.close());
  for (const version of ['v1', 'v2', 'v3']) {
    const run = await runBundle(
      'frontend',
      { provider: 'vercel', dir: makeSite(1, version), token: TOKEN, project: 'shop-web', 'api-url': v.url },
      { env: pushEvent('main') },
    );
    expect(run.exitCode, run.stdout).toBe(0);
  }
  return v;
}

async function netlifyWithThreeDeploys(): Promise<NetlifyDouble> {
  const n = await startNetlify({ token: TOKEN, site: 'shop-site', buildPolls: 1 });
  closers.push(() => n.close());
  const api = `${n.url}${NETLIFY_PREFIX}`;
  for (const version of ['v1', 'v2', 'v3']) {
    const run = await runBundle(
      'frontend',
      { provider: 'netlify', dir: makeSite(1, version), token: TOKEN, site: 'shop-site', 'api-url': api },
      { env: pushEvent('main') },
    );
    expect(run.exitCode, run.stdout).toBe(0);
  }
  return n;
}

describe('rollback for frontends', () => {
  it('rolls a Vercel project back to the production deployment before the current one, or to a named one', async () => {
    const v = await vercelWithThreeDeploys();
    const [d1, d2, d3] = v.deployments;
    const previous = await runBundle('rollback', { provider: 'vercel', token: TOKEN, project: 'shop-web', 'api-url': v.url });
    expect(previous.exitCode, previous.stdout).toBe(0);
    expect(v.rollbacks.at(-1)).toEqual({ project: 'shop-web', deploymentId: d2!.id });
    expect(previous.outputs).toMatchObject({ release: d2!.id, 'previous-release': d3!.id });
    const named = await runBundle('rollback', { provider: 'vercel', token: TOKEN, project: 'shop-web', 'api-url': v.url, to: d1!.id });
    expect(named.exitCode, named.stdout).toBe(0);
    expect(v.rollbacks.at(-1)!.deploymentId).toBe(d1!.id);
    const missing = await runBundle('rollback', {
      provider: 'vercel',
      token: TOKEN,
      project: 'shop-web',
      'api-url': v.url,
      to: 'dpl_nope',
    });
    expect(missing.exitCode).toBe(1);
    expect(missing.stdout).toContain(`READY ones: ${d3!.id}, ${d2!.id}, ${d1!.id}`);
  });

  it('restores the Netlify deploy before the published one, or a named one', async () => {
    const n = await netlifyWithThreeDeploys();
    const [d1, d2, d3] = n.deploys;
    expect(n.published()).toBe(d3!.id);
    const api = `${n.url}${NETLIFY_PREFIX}`;
    const previous = await runBundle('rollback', { provider: 'netlify', token: TOKEN, site: 'shop-site', 'api-url': api });
    expect(previous.exitCode, previous.stdout).toBe(0);
    expect(n.published()).toBe(d2!.id);
    expect(previous.outputs).toMatchObject({ release: d2!.id, 'previous-release': d3!.id });
    const again = await runBundle('rollback', { provider: 'netlify', token: TOKEN, site: 'shop-site', 'api-url': api });
    expect(again.exitCode, again.stdout).toBe(0);
    expect(n.published()).toBe(d1!.id);
    const named = await runBundle('rollback', { provider: 'netlify', token: TOKEN, site: 'shop-site', 'api-url': api, to: d3!.id });
    expect(named.exitCode, named.stdout).toBe(0);
    expect(n.published()).toBe(d3!.id);
  });

  it('asks for the token and the project before calling anything', async () => {
    const run = await runBundle('rollback', { provider: 'vercel', token: TOKEN });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('input "project"');
    const noToken = await runBundle('rollback', { provider: 'netlify', site: 'shop-site' });
    expect(noToken.stdout).toContain('input "token"');
  });
});
