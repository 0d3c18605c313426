import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { NETLIFY_PREFIX, type NetlifyDouble, type NetlifyOptions, startNetlify } from '../../harness/doubles/netlify.js';
import { makeSite, prEvent, pushEvent } from '../../harness/fixtures/frontend.js';
import { runBundle } from '../../harness/services/runner.js';

const TOKEN = 'netlify-token-0123456789';
const SITE = 'shop-site';
let netlify: NetlifyDouble | undefined;

async function start(options: Partial<NetlifyOptions> = {}): Promise<NetlifyDouble> {
  netlify = await startNetlify({ token: TOKEN, site: SITE, buildPolls: 2, ...options });
  return netlify;
}

afterEach(async () => {
  await netlify?.close();
  netlify = undefined;
});

const inputs = (n: NetlifyDouble, dir: string, extra: Record<string, string> = {}) => ({
  provider: 'netlify',
  dir,
  token: TOKEN,
  site: SITE,
  'api-url': `${n.url}${NETLIFY_PREFIX}`,
  ...extra,
});

describe('frontend on netlify', () => {
  it('uploads all files first, then only the required one, and publishes production on the default branch', async () => {
    const n = await start();
    const dir = makeSite(10);
    const first = await runBundle('frontend', inputs(n, dir), { env: pushEvent('main') });
    expect(first.exitCode, first.stdout).toBe(0);
    expect(first.outputs).toMatchObject({ 'files-total': '11', 'files-uploaded': '11', url: `https://${SITE}.netlify.app` });
    expect(n.published()).toBe(n.deploys[0]!.id);
    expect(n.deploys[0]!.draft).toBe(false);

    writeFileSync(join(dir, 'index.html'), '<html>v2</html>');
    const second = await runBundle('frontend', inputs(n, dir), { env: pushEvent('main') });
    expect(second.exitCode, second.stdout).toBe(0);
    expect(second.outputs['files-uploaded']).toBe('1');
    expect(n.uploads.at(-1)!.path).toBe(`${NETLIFY_PREFIX}/deploys/${n.deploys[1]!.id}/files/index.html`);
    expect(n.uploads).toHaveLength(12);
  });

  it('makes a draft deploy for a pull request and reports its deploy URL, leaving production alone', async () => {
    const n = await start();
    const dir = makeSite(2);
    expect((await runBundle('frontend', inputs(n, dir), { env: pushEvent('main') })).exitCode).toBe(0);
    const preview = await runBundle('frontend', inputs(n, dir), { env: prEvent(12) });
    expect(preview.exitCode, preview.stdout).toBe(0);
    const draft = n.deploys[1]!;
    expect(draft).toMatchObject({ draft: true, branch: 'feature/x' });
    expect(preview.outputs.url).toBe(`https://${draft.id}--${SITE}.netlify.app`);
    expect(n.published()).toBe(n.deploys[0]!.id);
  });

  it("fails with Netlify's error message when the deploy ends in error, and cancels on timeout", async () => {
    const failing = await start({ failBuild: 'Failed to process the redirects file' });
    const run = await runBundle('frontend', inputs(failing, makeSite(2)), { env: pushEvent('main') });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('ended error: Failed to process the redirects file');
    await failing.close();
    const hanging = await start({ hang: true });
    const slow = await runBundle('frontend', inputs(hanging, makeSite(2), { timeout: '2s' }), { env: pushEvent('main') });
    expect(slow.exitCode).toBe(1);
    expect(slow.stdout).toMatch(/was still processing after 2s; cancelled it/);
    expect(hanging.requests.some((r) => r.method === 'POST' && r.path.endsWith('/cancel'))).toBe(true);
  });

  it('names the token when Netlify refuses it', async () => {
    const n = await start();
    const run = await runBundle('frontend', { ...inputs(n, makeSite(1)), token: 'wrong-token-123456' }, { env: pushEvent('main') });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('input "token": Netlify refused deploys to site shop-site (HTTP 401, 401: Access Denied)');
  });

  it('on a fork PR without a token fails explaining why when asked to, or skips visibly', async () => {
    const n = await start();
    const failed = await runBundle(
      'frontend',
      { ...inputs(n, makeSite(1)), token: '', 'on-missing-credentials': 'fail' },
      { env: prEvent(9, { fork: true }) },
    );
    expect(failed.exitCode).toBe(1);
    expect(failed.stdout).toContain('pull request #9 comes from a fork, and GitHub does not pass repository secrets');
    expect(failed.stdout).toContain('on-missing-credentials: skip');
    const skipped = await runBundle(
      'frontend',
      { ...inputs(n, makeSite(1)), token: '', 'on-missing-credentials': 'skip' },
      { env: prEvent(9, { fork: true }) },
    );
    expect(skipped.exitCode).toBe(0);
    expect(skipped.outputs.skipped).toBe('true');
    expect(skipped.summary).toContain('Not published: pull request #9 comes from a fork');
    expect(skipped.stdout).toMatch(/::notice[^:]*::frontend: preview not published/);
    expect(n.requests).toHaveLength(0);
  });

  it('by default (auto) skips the preview of a fork PR or a Dependabot PR visibly, and still fails a push without a token', async () => {
    const n = await start();
    const fork = await runBundle('frontend', { ...inputs(n, makeSite(1)), token: '' }, { env: prEvent(9, { fork: true }) });
    expect(fork.exitCode, fork.stdout).toBe(0);
    expect(fork.outputs.skipped).toBe('true');
    expect(fork.summary).toContain('(on-missing-credentials: auto)');
    const dependabot = await runBundle(
      'frontend',
      { ...inputs(n, makeSite(1)), token: '' },
      { env: { ...prEvent(10), GITHUB_ACTOR: 'dependabot[bot]' } },
    );
    expect(dependabot.exitCode, dependabot.stdout).toBe(0);
    expect(dependabot.stdout).toMatch(/::notice[^:]*::frontend: preview not published: this run was triggered by Dependabot/);
    expect(dependabot.summary).toContain('Not published: this run was triggered by Dependabot');
    const push = await runBundle('frontend', { ...inputs(n, makeSite(1)), token: '' }, { env: pushEvent('main') });
    expect(push.exitCode).toBe(1);
    expect(n.requests).toHaveLength(0);
  });
});
