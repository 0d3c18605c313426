import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { ConfigurationError } from '../../src/core/errors.js';
import { HttpError } from '../../src/core/http.js';
import { parseInputs } from '../../src/core/inputs.js';
import { nextLink, vendorMessage } from '../../src/core/json-api.js';
import { chooseTarget, type PublishEvent, readEvent } from '../../src/frontend/event.js';
import { frontendSchema } from '../../src/frontend/inputs.js';
import { stickyMarker } from '../../src/github/comments.js';
import { digestSite, filesForDigests, mapPool } from '../../src/providers/files.js';
import { FRONTEND_PROVIDERS, frontendProvider } from '../../src/providers/registry.js';
import { missingFiles } from '../../src/providers/vercel.js';

const blank = Object.fromEntries(Object.keys(frontendSchema.shape).map((k) => [k, '']));
const inputs = (values: Record<string, string>) => parseInputs(frontendSchema, { ...blank, ...values });
const event = (over: Partial<PublishEvent>): PublishEvent => ({
  branch: 'main',
  sha: 'abc',
  defaultBranch: 'main',
  fromFork: false,
  ...over,
});

function envWith(payload: unknown, ref = 'refs/heads/main') {
  const file = join(mkdtempSync(join(tmpdir(), 'dk-ev-')), 'event.json');
  writeFileSync(file, JSON.stringify(payload));
  return {
    sha: 'merge',
    ref,
    eventName: 'x',
    repository: 'acme/shop',
    actor: 'a',
    runUrl: '',
    tempDir: '/tmp',
    workspace: '/tmp',
    githubApiUrl: '',
    eventPath: file,
  };
}

describe('choosing production or preview', () => {
  it.each([
    ['auto', event({}), 'production'],
    ['auto', event({ branch: 'develop' }), 'preview'],
    ['auto', event({ pullRequest: 3, branch: 'main' }), 'preview'],
    ['auto', event({ defaultBranch: undefined }), 'preview'],
    ['production', event({ pullRequest: 3 }), 'production'],
    ['preview', event({}), 'preview'],
  ] as const)('environment %s for %o → %s', (environment, ev, expected) => {
    expect(chooseTarget(environment, ev)).toBe(expected);
  });
});

describe('reading the event payload', () => {
  it('takes the head sha and branch of a pull request and tells a fork apart', () => {
    const pr = (head: string) => ({
      pull_request: {
        number: 4,
        head: { sha: 'head', ref: 'feat', repo: { full_name: head } },
        base: { repo: { full_name: 'acme/shop' } },
      },
      repository: { default_branch: 'main' },
    });
    expect(readEvent(envWith(pr('acme/shop'), 'refs/pull/4/merge'))).toEqual({
      branch: 'feat',
      sha: 'head',
      defaultBranch: 'main',
      pullRequest: 4,
      fromFork: false,
    });
    expect(readEvent(envWith(pr('eve/shop'))).fromFork).toBe(true);
  });

  it('uses the ref and sha of a push and survives a missing payload', () => {
    expect(readEvent(envWith({ repository: { default_branch: 'trunk' } }, 'refs/heads/trunk'))).toMatchObject({
      branch: 'trunk',
      sha: 'merge',
      defaultBranch: 'trunk',
      fromFork: false,
    });
    expect(readEvent({ ...envWith({}), eventPath: undefined })).toMatchObject({ branch: 'main', defaultBranch: undefined });
  });
});

describe('inputs', () => {
  it('rejects unknown providers and bad names before anything remote', () => {
    expect(() => inputs({ provider: 'surge' })).toThrow('input "provider": expected one of vercel, netlify, ssh');
    expect(() => inputs({ provider: 'vercel', project: 'a b' })).toThrow('input "project"');
    expect(() => inputs({ provider: 'vercel', timeout: 'soon' })).toThrow('input "timeout"');
    expect(inputs({ provider: 'vercel' })).toMatchObject({
      dir: 'dist',
      environment: 'auto',
      comment: true,
      deployment: true,
      timeout: 600_000,
      'on-missing-credentials': 'auto',
    });
  });

  it('maps provider names to one entry each (host, token need, rollback) and lists the known ones for an unknown name', () => {
    expect(Object.keys(FRONTEND_PROVIDERS)).toEqual(['vercel', 'netlify', 'ssh']);
    expect(() => frontendProvider('surge')).toThrow(
      new ConfigurationError('input "provider": unknown frontend provider "surge"; known: vercel, netlify, ssh'),
    );
    expect(() => frontendProvider('netlify').host(inputs({ provider: 'netlify' }))).toThrow('input "site"');
    expect(frontendProvider('vercel').host(inputs({ provider: 'vercel', project: 'web' }))).toMatchObject({
      provider: 'vercel',
      site: 'web',
    });
    expect(Object.entries(FRONTEND_PROVIDERS).map(([name, p]) => [name, p.needsToken, Boolean(p.rollback)])).toEqual([
      ['vercel', true, true],
      ['netlify', true, true],
      ['ssh', false, false],
    ]);
  });
});

describe('site files', () => {
  it('digests every file with a "/" path and its sha1', async () => {
    const root = mkdtempSync(join(tmpdir(), 'dk-site-'));
    mkdirSync(join(root, 'a/b'), { recursive: true });
    writeFileSync(join(root, 'a/b/x.txt'), 'hello');
    writeFileSync(join(root, 'index.html'), '');
    const files = await digestSite(root);
    expect(files.map((f) => [f.path, f.sha, f.size])).toEqual([
      ['a/b/x.txt', 'aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d', 5],
      ['index.html', 'da39a3ee5e6b4b0d3255bfef95601890afd80709', 0],
    ]);
  });

  it('uploads one file per wanted digest', () => {
    const f = (path: string, sha: string) => ({ path, sha, absolute: path, size: 1 });
    expect(filesForDigests([f('a', '1'), f('b', '1'), f('c', '2'), f('d', '3')], ['1', '3']).map((x) => x.path)).toEqual(['a', 'd']);
  });

  it('keeps at most `limit` uploads in flight and the input order', async () => {
    let running = 0;
    let peak = 0;
    const out = await mapPool([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 5));
      running -= 1;
      return n * 2;
    });
    expect(out).toEqual([2, 4, 6, 8, 10, 12, 14]);
    expect(peak).toBe(3);
  });
});

describe('vendor errors', () => {
  const http = (status: number, body: unknown) => new HttpError({ method: 'POST', url: 'http://x' }, status, JSON.stringify(body));
  it('reads the missing digests of a Vercel missing_files error and nothing else', () => {
    expect(missingFiles(http(400, { error: { code: 'missing_files', message: 'Missing files', missing: ['ab', 'cd'] } }))).toEqual([
      'ab',
      'cd',
    ]);
    expect(missingFiles(http(400, { error: { code: 'bad_request', message: 'x' } }))).toBeUndefined();
    expect(missingFiles(new Error('x'))).toBeUndefined();
  });

  it('quotes Vercel, Netlify and GitHub error bodies', () => {
    expect(vendorMessage(http(409, { error: { code: 'not_modified', message: 'in use' } }))).toBe('not_modified: in use');
    expect(vendorMessage(http(422, { code: 422, message: 'files is required' }))).toBe('422: files is required');
    expect(vendorMessage(http(403, { message: 'Resource not accessible by integration' }))).toBe('Resource not accessible by integration');
  });

  it('follows rel="next" in a Link header', () => {
    expect(nextLink('<https://ghe.example/api/v3/x?page=2>; rel="next", <https://ghe.example/api/v3/x?page=5>; rel="last"')).toBe(
      'https://ghe.example/api/v3/x?page=2',
    );
    expect(nextLink('<https://api.github.com/x?page=1>; rel="prev"')).toBeUndefined();
    expect(nextLink(null)).toBeUndefined();
  });

  it('marks the sticky comment per action, provider and site', () => {
    expect(stickyMarker('frontend', 'netlify', 'site-1')).toBe('<!-- deploy-kit:frontend:netlify:site-1 -->');
  });
});
