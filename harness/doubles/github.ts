import { type DoubleServer, type Recorded, type Reply, serveRoutes } from './server.js';

/**
 * The GitHub REST routes the kit uses, with response fields from @octokit/openapi: issue comments
 * (paginated by per_page/page with a Link header), deployments and deployment statuses. `deny`
 * makes a route family answer 403 as GitHub does for a token without that permission.
 */
export interface GitHubOptions {
  token: string;
  owner?: string;
  repo?: string;
  deny?: ('comments' | 'deployments')[];
}

export interface Comment {
  id: number;
  issue: number;
  body: string;
  created_at: string;
  updated_at: string;
}

export interface Deployment {
  id: number;
  ref: string;
  environment: string;
  transient_environment: boolean;
  production_environment: boolean;
  description: string | null;
  statuses: Record<string, unknown>[];
}

export interface GitHubDouble extends DoubleServer {
  comments: Comment[];
  deployments: Deployment[];
  seedComments(issue: number, count: number, body?: (i: number) => string): void;
}

/** Every route the double serves, as OpenAPI path templates (the unit test checks them against the spec). */
export const GITHUB_ROUTES = [
  ['get', '/repos/{owner}/{repo}/issues/{issue_number}/comments'],
  ['post', '/repos/{owner}/{repo}/issues/{issue_number}/comments'],
  ['patch', '/repos/{owner}/{repo}/issues/comments/{comment_id}'],
  ['post', '/repos/{owner}/{repo}/deployments'],
  ['post', '/repos/{owner}/{repo}/deployments/{deployment_id}/statuses'],
] as const;

const user = (api: string) => ({
  login: 'github-actions[bot]',
  id: 41898282,
  node_id: 'MDM6Qm90NDE4OTgyODI=',
  avatar_url: 'https://avatars.githubusercontent.com/in/15368?v=4',
  gravatar_id: '',
  url: `${api}/users/github-actions%5Bbot%5D`,
  html_url: 'https://github.com/apps/github-actions',
  followers_url: `${api}/users/github-actions%5Bbot%5D/followers`,
  following_url: `${api}/users/github-actions%5Bbot%5D/following{/other_user}`,
  gists_url: `${api}/users/github-actions%5Bbot%5D/gists{/gist_id}`,
  starred_url: `${api}/users/github-actions%5Bbot%5D/starred{/owner}{/repo}`,
  subscriptions_url: `${api}/users/github-actions%5Bbot%5D/subscriptions`,
  organizations_url: `${api}/users/github-actions%5Bbot%5D/orgs`,
  repos_url: `${api}/users/github-actions%5Bbot%5D/repos`,
  events_url: `${api}/users/github-actions%5Bbot%5D/events{/privacy}`,
  received_events_url: `${api}/users/github-actions%5Bbot%5D/received_events`,
  type: 'Bot',
  site_admin: false,
});

export async function startGitHub(options: GitHubOptions): Promise<GitHubDouble> {
  const owner = options.owner ?? 'acme';
  const repoName = options.repo ?? 'shop';
  const comments: Comment[] = [];
  const deployments: Deployment[] = [];
  let nextId = 1000;
  let api = '';
  const repoUrl = () => `${api}/repos/${owner}/${repoName}`;
  const now = () => new Date().toISOString();
  const forbidden = (): Reply => ({
    status: 403,
    body: { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest', status: '403' },
  });
  const checks = (family: 'comments' | 'deployments', handler: (req: Recorded, p: string[]) => Reply) => (req: Recorded, p: string[]) => {
    if (req.headers.authorization !== `Bearer ${options.token}`)
      return { status: 401, body: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' } };
    if (p[0] !== owner || p[1] !== repoName)
      return { status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' } };
    return options.deny?.includes(family) ? forbidden() : handler(req, p);
  };
  const commentView = (c: Comment) => ({
    id: c.id,
    node_id: `IC_${c.id}`,
    url: `${repoUrl()}/issues/comments/${c.id}`,
    html_url: `https://github.com/${owner}/${repoName}/pull/${c.issue}#issuecomment-${c.id}`,
    body: c.body,
    user: user(api),
    created_at: c.created_at,
    updated_at: c.updated_at,
    issue_url: `${repoUrl()}/issues/${c.issue}`,
    author_association: 'NONE',
  });
  const deploymentView = (d: Deployment) => ({
    url: `${repoUrl()}/deployments/${d.id}`,
    id: d.id,
    node_id: `DE_${d.id}`,
    sha: d.ref,
    ref: d.ref,
    task: 'deploy',
    payload: {},
    original_environment: d.environment,
    environment: d.environment,
    description: d.description,
    creator: user(api),
    created_at: now(),
    updated_at: now(),
    statuses_url: `${repoUrl()}/deployments/${d.id}/statuses`,
    repository_url: repoUrl(),
    transient_environment: d.transient_environment,
    production_environment: d.production_environment,
  });

  const server = await serveRoutes(
    [
      {
        method: 'GET',
        template: '/repos/{owner}/{repo}/issues/{issue_number}/comments',
        handler: checks('comments', (req, [, , issue]) => {
          const perPage = Math.min(Number(req.query.get('per_page') ?? 30), 100);
          const page = Number(req.query.get('page') ?? 1);
          const all = comments.filter((c) => c.issue === Number(issue));
          const last = Math.max(1, Math.ceil(all.length / perPage));
          const link = (p: number, rel: string) => `<${api}${req.path}?per_page=${perPage}&page=${p}>; rel="${rel}"`;
          const links = [page < last ? link(page + 1, 'next') : '', page < last ? link(last, 'last') : ''].filter(Boolean).join(', ');
          return {
            status: 200,
            body: all.slice((page - 1) * perPage, page * perPage).map(commentView),
            headers: links ? { link: links } : undefined,
          };
        }),
      },
      {
        method: 'POST',
        template: '/repos/{owner}/{repo}/issues/{issue_number}/comments',
        handler: checks('comments', (req, [, , issue]) => {
          const body = (req.json as { body?: string })?.body;
          if (!body)
            return {
              status: 422,
              body: { message: 'Validation Failed', errors: [{ resource: 'IssueComment', code: 'missing_field', field: 'body' }] },
            };
          const c: Comment = { id: nextId++, issue: Number(issue), body, created_at: now(), updated_at: now() };
          comments.push(c);
          return { status: 201, body: commentView(c) };
        }),
      },
      {
        method: 'PATCH',
        template: '/repos/{owner}/{repo}/issues/comments/{comment_id}',
        handler: checks('comments', (req, [, , id]) => {
          const c = comments.find((x) => x.id === Number(id));
          if (!c) return { status: 404, body: { message: 'Not Found' } };
          c.body = (req.json as { body: string }).body;
          c.updated_at = now();
          return { status: 200, body: commentView(c) };
        }),
      },
      {
        method: 'POST',
        template: '/repos/{owner}/{repo}/deployments',
        handler: checks('deployments', (req) => {
          const body = req.json as {
            ref?: string;
            environment?: string;
            description?: string;
            transient_environment?: boolean;
            production_environment?: boolean;
          };
          if (!body?.ref)
            return {
              status: 422,
              body: { message: 'Validation Failed', errors: [{ resource: 'Deployment', code: 'missing_field', field: 'ref' }] },
            };
          const d: Deployment = {
            id: nextId++,
            ref: body.ref,
            environment: body.environment ?? 'production',
            description: body.description ?? null,
            transient_environment: body.transient_environment ?? false,
            production_environment: body.production_environment ?? body.environment === 'production',
            statuses: [],
          };
          deployments.push(d);
          return { status: 201, body: deploymentView(d) };
        }),
      },
      {
        method: 'POST',
        template: '/repos/{owner}/{repo}/deployments/{deployment_id}/statuses',
        handler: checks('deployments', (req, [, , id]) => {
          const d = deployments.find((x) => x.id === Number(id));
          if (!d) return { status: 404, body: { message: 'Not Found' } };
          const body = req.json as {
            state?: string;
            environment?: string;
            environment_url?: string;
            log_url?: string;
            description?: string;
            auto_inactive?: boolean;
          };
          const states = ['error', 'failure', 'inactive', 'in_progress', 'queued', 'pending', 'success'];
          if (!body?.state || !states.includes(body.state)) return { status: 422, body: { message: 'Validation Failed' } };
          const status = {
            url: `${repoUrl()}/deployments/${d.id}/statuses/${nextId}`,
            id: nextId++,
            node_id: `DES_${nextId}`,
            state: body.state,
            creator: user(api),
            description: body.description ?? '',
            environment: body.environment ?? d.environment,
            target_url: body.log_url ?? '',
            log_url: body.log_url ?? '',
            environment_url: body.environment_url ?? '',
            created_at: now(),
            updated_at: now(),
            deployment_url: `${repoUrl()}/deployments/${d.id}`,
            repository_url: repoUrl(),
          };
          d.statuses.push({ ...status, auto_inactive: body.auto_inactive });
          return { status: 201, body: status };
        }),
      },
    ],
    () => ({ status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' } }),
  );
  api = server.url;
  return Object.assign(server, {
    comments,
    deployments,
    seedComments(issue: number, count: number, body = (i: number) => `comment ${i}`) {
      for (let i = 0; i < count; i += 1) comments.push({ id: nextId++, issue, body: body(i), created_at: now(), updated_at: now() });
    },
  });
}
