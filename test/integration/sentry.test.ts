import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { type SentryDouble, startSentryDouble } from '../../harness/doubles/sentry.js';
import { printed, runBundle } from '../../harness/services/runner.js';

let sentry: SentryDouble;
let work: string;
const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';

beforeEach(async () => {
  sentry = await startSentryDouble();
  work = mkdtempSync(join(tmpdir(), 'dk-sentry-'));
});

afterEach(async () => {
  await sentry.close();
  rmSync(work, { recursive: true, force: true });
});

function inputs(extra: Record<string, string> = {}): Record<string, string> {
  return {
    'sentry-org': sentry.org,
    'sentry-project': 'shop-web',
    'sentry-token': sentry.token,
    'sentry-url': sentry.url,
    repository: 'acme/shop',
    ...extra,
  };
}

const calls = (method: string, suffix: string) => sentry.requests.filter((r) => r.method === method && r.path.endsWith(suffix));

describe('sentry action', () => {
  it('creates the release with its commits, finalizes it and records a deploy (step all)', async () => {
    const run = await runBundle('sentry', inputs({ 'sentry-environment': 'staging' }));
    expect(run.exitCode, run.stdout).toBe(0);
    const release = sentry.releases.get('a1b2c3d')!;
    expect(release.refs).toEqual([{ repository: 'acme/shop', commit: SHA }]);
    expect(release.projects).toEqual(['shop-web']);
    expect(release.dateReleased).toMatch(/^\d{4}-/);
    expect(release.deploys).toMatchObject([{ environment: 'staging', url: 'https://github.com/acme/shop/actions/runs/42' }]);
    expect(run.outputs).toMatchObject({ version: 'a1b2c3d', 'deploy-id': release.deploys[0]!.id });
    expect(run.outputs.url).toBe(`${sentry.url}/organizations/acme/releases/a1b2c3d/`);
    expect(run.summary).toContain('a1b2c3d');
  });

  it('names the release <project>@<version>, and a second run finds it (208) and sets the commits again', async () => {
    const first = await runBundle('sentry', inputs({ 'project-prefix': 'true', version: '1.4.0', step: 'release' }));
    expect(first.exitCode, first.stdout).toBe(0);
    expect(sentry.releases.get('shop-web@1.4.0')?.deploys).toEqual([]);
    const again = await runBundle('sentry', inputs({ 'project-prefix': 'true', version: '1.4.0', 'previous-commit': '0'.repeat(40) }));
    expect(again.exitCode, again.stdout).toBe(0);
    expect(calls('POST', '/releases/')[1]!.reply!.status).toBe(208);
    expect(calls('PUT', '/releases/shop-web%401.4.0/').find((r) => (r.json as { refs?: unknown }).refs)?.json).toEqual({
      refs: [{ repository: 'acme/shop', commit: SHA, previousCommit: '0'.repeat(40) }],
    });
    expect(again.summary).toContain('existed');
  });

  it('records a deploy of the release a rollback returned to, and fails clearly for a release Sentry does not have', async () => {
    expect((await runBundle('sentry', inputs({ version: 'old1234', step: 'release' }))).exitCode).toBe(0);
    const deploy = await runBundle('sentry', inputs({ version: 'old1234', step: 'deploy' }));
    expect(deploy.exitCode, deploy.stdout).toBe(0);
    expect(sentry.releases.get('old1234')!.deploys).toHaveLength(1);
    const missing = await runBundle('sentry', inputs({ version: 'nope999', step: 'deploy' }));
    expect(missing.exitCode).not.toBe(0);
    expect(missing.stdout).toMatch(/Sentry has no release nope999 in acme/);
    expect(sentry.releases.has('nope999')).toBe(false);
  });

  it('makes the release without commits (a warning) when the repository has no integration in Sentry', async () => {
    const run = await runBundle('sentry', inputs({ repository: 'acme/other' }));
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.stdout).toMatch(/could not associate commits \(Invalid repository names: acme\/other\)/);
    expect(sentry.releases.get('a1b2c3d')!.refs).toEqual([]);
  });

  it('waits out a 429 with Retry-After and retries a 503', async () => {
    sentry.faults.push({ status: 429, method: 'POST', pathEndsWith: '/releases', retryAfterSeconds: 1 }, { status: 503, method: 'PUT' });
    const run = await runBundle('sentry', inputs());
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.stdout).toMatch(/returned 429; retrying in 1000 ms/);
    expect(run.stdout).toMatch(/returned 503; retrying/);
    expect(sentry.releases.get('a1b2c3d')!.deploys).toHaveLength(1);
  });

  it('names the input on a bad token, a token without project:releases, an unknown org, and an empty token', async () => {
    const bad = await runBundle('sentry', inputs({ 'sentry-token': 'sntrys_wrong' }));
    expect(bad.stdout).toMatch(/input "sentry-token": Sentry refused the token \(401: Invalid token/);
    const readOnly = await runBundle('sentry', inputs({ 'sentry-token': sentry.readToken }));
    expect(readOnly.stdout).toMatch(/input "sentry-token": Sentry refused the token \(403/);
    const org = await runBundle('sentry', inputs({ 'sentry-org': 'nobody' }));
    expect(org.stdout).toMatch(/input "sentry-org": Sentry has no organization nobody/);
    const before = sentry.requests.length;
    const empty = await runBundle('sentry', inputs({ 'sentry-token': '' }));
    expect(empty.stdout).toMatch(/input "sentry-token"/);
    expect(sentry.requests.length).toBe(before);
  });

  it('uploads source maps with sentry-cli, the token only in its environment, and fails naming the input without sentry-cli', async () => {
    const dist = join(work, 'dist');
    mkdirSync(dist);
    writeFileSync(join(dist, 'app.js.map'), '{}');
    const record = join(work, 'argv');
    const cli = join(work, 'sentry-cli');
    writeFileSync(
      cli,
      `#!/bin/sh\nif [ "$1" = --version ]; then echo 'sentry-cli 2.39.0'; exit 0; fi\nprintf '%s\\n' "$@" > '${record}'\n[ "$SENTRY_AUTH_TOKEN" = '${sentry.token}' ] && echo token-ok >> '${record}'\necho "url=$SENTRY_URL" >> '${record}'\n`,
    );
    chmodSync(cli, 0o755);
    const run = await runBundle('sentry', inputs({ sourcemaps: dist, 'sentry-cli': cli, 'url-prefix': '~/assets' }));
    expect(run.exitCode, run.stdout).toBe(0);
    expect(readFileSync(record, 'utf8').trim().split('\n')).toEqual([
      'sourcemaps',
      'upload',
      '--org',
      'acme',
      '--project',
      'shop-web',
      '--release',
      'a1b2c3d',
      '--url-prefix',
      '~/assets',
      dist,
      'token-ok',
      `url=${sentry.url}`,
    ]);
    const missing = await runBundle('sentry', inputs({ sourcemaps: dist, 'sentry-cli': join(work, 'absent') }));
    expect(missing.exitCode).not.toBe(0);
    expect(missing.stdout).toMatch(/input "sourcemaps": .*absent was not found; add @sentry\/cli/);
  });

  it('keeps the token out of the log, the outputs and the summary', async () => {
    const run = await runBundle('sentry', inputs({ version: 'nope999', step: 'deploy' }));
    const files = ['GITHUB_OUTPUT', 'GITHUB_STEP_SUMMARY', 'GITHUB_STATE'].map((f) => readFileSync(run.env[f]!, 'utf8'));
    for (const text of [printed(run), ...files]) expect(text).not.toContain(sentry.token);
    const sent = sentry.requests.map((r) => r.body.toString('utf8')).join('\n');
    expect(sent).not.toContain(sentry.token);
  });
});
