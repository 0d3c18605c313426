import { createRequire } from 'node:module';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { GITHUB_ROUTES, type GitHubDouble, startGitHub } from '../../harness/doubles/github.js';
import { NETLIFY_PREFIX, type NetlifyDouble, startNetlify } from '../../harness/doubles/netlify.js';
import type { Recorded } from '../../harness/doubles/server.js';
import { makeSite } from '../../harness/fixtures/frontend.js';
import type { RunContext } from '../../src/core/action.js';
import { systemClock } from '../../src/core/clock.js';
import { createHttpClient } from '../../src/core/http.js';
import { Summary } from '../../src/core/summary.js';
import { frontendSchema } from '../../src/frontend/inputs.js';
import { githubApi } from '../../src/github/client.js';
import { stickyMarker, upsertStickyComment } from '../../src/github/comments.js';
import { createDeployment, setDeploymentStatus } from '../../src/github/deployments.js';
import { digestSite } from '../../src/providers/files.js';
import { netlifyHost, rollbackNetlify } from '../../src/providers/netlify.js';

const require = createRequire(import.meta.url);
type Schema = { $ref?: string; type?: string; properties?: Record<string, Schema>; required?: string[]; items?: Schema; allOf?: Schema[] };
type Operation = {
  responses: Record<string, { content?: Record<string, { schema: Schema }>; schema?: Schema }>;
  requestBody?: { content: Record<string, { schema: Schema }> };
};
type Spec = { paths: Record<string, Record<string, Operation>>; definitions?: Record<string, Schema> };
const github = (require('@octokit/openapi') as { schemas: Record<string, Spec> }).schemas['api.github.com.deref']!;
const netlify = require('@netlify/open-api/dist/swagger.json') as Spec;

function testContext(githubApiUrl = 'http://127.0.0.1:9'): RunContext {
  const quiet = {
    info: () => undefined,
    warning: () => undefined,
    error: () => undefined,
    debug: () => undefined,
    mask: () => undefined,
    group: <T>(_n: string, fn: () => Promise<T>) => fn(),
  };
  return {
    logger: quiet,
    exec: { run: () => Promise.reject(new Error('no commands in this test')) },
    http: createHttpClient({ clock: systemClock, retries: 0 }),
    clock: systemClock,
    outputs: { set: () => undefined },
    summary: new Summary(),
    state: { save: () => undefined, get: () => '' },
    env: {
      sha: 'abc',
      ref: 'refs/heads/main',
      eventName: 'push',
      repository: 'acme/shop',
      actor: 'octocat',
      runUrl: 'https://github.com/acme/shop/actions/runs/1',
      tempDir: '/tmp',
      workspace: '/tmp',
      githubApiUrl,
    },
  };
}

const resolveSwagger = (schema: Schema): Schema =>
  schema.$ref ? resolveSwagger(netlify.definitions![schema.$ref.replace('#/definitions/', '')]!) : schema;
const keysOf = (value: unknown) => Object.keys(value as object).sort();

/** Every field the double returns is one the spec documents, and every field the spec requires is there. */
function expectConforms(value: unknown, schema: Schema, where: string): void {
  const s = schema.items && Array.isArray(value) ? schema.items : schema;
  const values = Array.isArray(value) ? value : [value];
  const properties = s.properties ?? Object.assign({}, ...(s.allOf ?? []).map((x) => x.properties));
  for (const item of values) {
    const unknown = keysOf(item).filter((k) => !(k in properties));
    expect(unknown, `${where}: fields not in the spec`).toEqual([]);
    const missing = (s.required ?? []).filter((k) => !(k in (item as object)));
    expect(missing, `${where}: required fields missing`).toEqual([]);
  }
}

describe('the GitHub double against @octokit/openapi', () => {
  let gh: GitHubDouble;
  beforeAll(async () => {
    gh = await startGitHub({ token: 'ghs_test' });
    gh.seedComments(3, 120);
    const ctx = testContext(gh.url);
    const api = githubApi(ctx, 'ghs_test');
    const repo = { owner: 'acme', repo: 'shop' };
    const marker = stickyMarker('frontend', 'vercel', 'web');
    await upsertStickyComment(api, repo, 3, marker, 'first');
    await upsertStickyComment(api, repo, 3, marker, 'second');
    const id = await createDeployment(api, repo, { ref: 'abc', environment: 'preview', production: false, description: 'vercel web' });
    await setDeploymentStatus(api, repo, id, { state: 'in_progress', environment: 'preview', logUrl: 'https://example.com/log' });
    await setDeploymentStatus(api, repo, id, {
      state: 'success',
      environment: 'preview',
      logUrl: 'https://example.com/log',
      environmentUrl: 'https://web.example.com',
    });
  });
  afterAll(() => gh.close());

  it.each(GITHUB_ROUTES)('%s %s is a documented operation', (method, path) => {
    expect(github.paths[path]?.[method], `${method} ${path}`).toBeDefined();
  });

  it('answers with the fields and statuses the spec documents, for every call the kit made', () => {
    const served = gh.requests.filter((r): r is Recorded & { route: string } => r.route !== undefined);
    expect(new Set(served.map((r) => `${r.method.toLowerCase()} ${r.route}`))).toEqual(new Set(GITHUB_ROUTES.map(([m, p]) => `${m} ${p}`)));
    for (const r of served) {
      const op = github.paths[r.route]![r.method.toLowerCase()]!;
      const response = op.responses[String(r.reply!.status)];
      expect(response, `${r.method} ${r.route} → ${r.reply!.status}`).toBeDefined();
      expectConforms(r.reply!.body, response!.content!['application/json']!.schema, `${r.method} ${r.route}`);
      if (r.json) {
        const body = op.requestBody!.content['application/json']!.schema;
        expect(
          keysOf(r.json).filter((k) => !(k in body.properties!)),
          `${r.method} ${r.route}: request fields not in the spec`,
        ).toEqual([]);
      }
    }
  });

  it('pages the comment listing with a Link header, 100 at a time', () => {
    const listings = gh.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/issues/3/comments'));
    expect(listings[0]!.query.get('per_page')).toBe('100');
    expect(listings[0]!.reply!.headers!.link).toContain('rel="next"');
    expect(listings[1]!.query.get('page')).toBe('2');
    expect(gh.comments.filter((c) => c.body.includes('frontend:vercel:web'))).toHaveLength(1);
  });

  it("answers 403 with GitHub's message when a permission is denied, which the kit turns into the permission name", async () => {
    const denied = await startGitHub({ token: 'ghs_test', deny: ['deployments'] });
    try {
      const api = githubApi(testContext(denied.url), 'ghs_test');
      await expect(
        createDeployment(
          api,
          { owner: 'acme', repo: 'shop' },
          { ref: 'abc', environment: 'production', production: true, description: '' },
        ),
      ).rejects.toThrow(/deployments: write/);
      expect(denied.requests[0]!.reply).toMatchObject({ status: 403, body: { message: 'Resource not accessible by integration' } });
    } finally {
      await denied.close();
    }
  });
});

describe('the Netlify double against @netlify/open-api', () => {
  let n: NetlifyDouble;
  beforeAll(async () => {
    n = await startNetlify({ token: 'nf', site: 'web', buildPolls: 1 });
    const ctx = testContext();
    const inputs = frontendSchema.parse({
      ...Object.fromEntries(Object.keys(frontendSchema.shape).map((k) => [k, ''])),
      provider: 'netlify',
      site: 'web',
      token: 'nf',
      'api-url': `${n.url}${NETLIFY_PREFIX}`,
    });
    const host = netlifyHost(inputs, 'web');
    for (const version of ['v1', 'v2']) {
      const dir = makeSite(2, version);
      await host.publish(
        { dir, files: await digestSite(dir), target: 'production', branch: 'main', sha: 'abc', title: version, timeoutMs: 10_000 },
        ctx,
        {},
      );
    }
    await rollbackNetlify({ token: 'nf', site: 'web', apiUrl: `${n.url}${NETLIFY_PREFIX}` }, 'previous', ctx);
    await fetch(`${n.url}${NETLIFY_PREFIX}/sites/nope/deploys`, { method: 'POST', headers: { authorization: 'Bearer nf' } });
    await fetch(`${n.url}${NETLIFY_PREFIX}/deploys/${n.deploys[0]!.id}/cancel`, {
      method: 'POST',
      headers: { authorization: 'Bearer nf' },
    });
  });
  afterAll(() => n.close());

  it('serves only documented operations, answering with documented fields, errors as {code, message}', () => {
    const served = n.requests.filter((r) => r.route !== undefined);
    expect(new Set(served.map((r) => `${r.method} ${r.route}`)).size).toBe(7);
    for (const r of n.requests) {
      const template = r.route ?? '/sites/{site_id}/deploys';
      const op = netlify.paths[template.replace('{path*}', '{path}')]?.[r.method.toLowerCase()];
      expect(op, `${r.method} ${template}`).toBeDefined();
      const status = String(r.reply!.status);
      const response = op!.responses[status] ?? op!.responses.default!;
      if (r.reply!.status >= 400) expect(op!.responses[status], `${status} should be the default (error) response`).toBeUndefined();
      expectConforms(r.reply!.body, resolveSwagger(response.schema!), `${r.method} ${template} → ${status}`);
    }
  });

  it('is sent only documented deploy fields', () => {
    const create = n.requests.find((r) => r.method === 'POST' && r.route === '/sites/{site_id}/deploys');
    const param = (
      netlify.paths['/sites/{site_id}/deploys']!.post as unknown as { parameters: { in: string; schema: Schema }[] }
    ).parameters.find((p) => p.in === 'body')!;
    const allowed = resolveSwagger(param.schema).properties!;
    expect(keysOf(create!.json).filter((k) => !(k in allowed))).toEqual([]);
  });
});
